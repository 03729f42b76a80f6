// Classifier-free guidance on MNIST: the class-conditional U-Net of mnist_vp_conditional.groovy
// (label embedding, labels dropped in training so that it also learns the unconditional score),
// sampled here from its weights with guidance weight w = 1 (two network passes per
// step), 8 samples of each digit, judged by the clean classifier of experiments/classifiers.
//   ./sdex run experiments/mnist_cfg.groovy --set model.init=runs/mnist_vp_conditional-...
experiment('mnist_cfg') {
    seed 3
    data 'mnist', centered: true
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional',
          classes: 10,
          init: 'runs/mnist_vp_conditional', weights: 'ema'
    sample {
        predictor 'euler_maruyama'
        steps 200
        eps 1e-3
        batchSize 40
    }
    condition {
        guide 'cfg', w: 1.0
        labels 0..9
        n 8
        judge 'experiments/classifiers/mnist10k.sdex'
    }
}
