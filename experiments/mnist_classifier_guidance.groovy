// Class-conditional MNIST (the paper's Sec. 5): a U-Net sampled from trained weights, steered by a
// noise-conditional classifier, 8 samples of each digit. classes.png has a row per digit; the clean
// classifier of experiments/classifiers judges the samples (accuracy against the digit asked for,
// in metrics.jsonl). The score is the unconditional one: here the null label of the class-
// conditional model of mnist_vp_conditional.groovy (trained with label dropout, so that label is
// the unconditional score); an unconditional model (mnist_vp.groovy, without `classes: 10`) works
// the same. The noise-conditional classifier (about 10 minutes on two cores):
//   ./sdex classifier train --dataset mnist --centered --noise-conditional vp --channels 16,32,64 --steps 1000 --out runs/classifier-mnist-vp
//   ./sdex run experiments/mnist_classifier_guidance.groovy --set model.init=runs/mnist_vp_conditional-...
experiment('mnist_classifier_guidance') {
    seed 3
    data 'mnist', centered: true
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional',
          classes: 10,
          init: 'runs/mnist_vp_conditional', weights: 'ema'
    sample {
        predictor 'reverse_diffusion'
        corrector 'langevin', snr: 0.16, nSteps: 1
        steps 200
        eps 1e-3
        batchSize 40
    }
    condition {
        guide 'classifier', scale: 2.0
        labels 0..9
        n 8
        classifier 'runs/classifier-mnist-vp'
        judge 'experiments/classifiers/mnist10k.sdex'
    }
}
