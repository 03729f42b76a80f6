// Class-conditional DDPM++ (VP) on MNIST digits for classifier-free guidance and classifier guidance:
// the U-Net of mnist_vp.groovy with a learned embedding of the 10 digits added to its noise-level
// embedding, trained with label dropout (a label becomes the null label with probability 0.1), so
// one network gives the score of each digit and, with the null label, the unconditional one. About
// 20 minutes on two cores. The sample block draws with the null label (unguided); experiments/
// mnist_cfg.groovy and mnist_classifier_guidance.groovy sample chosen digits from its weights.
//   ./sdex data get mnist && ./sdex run experiments/mnist_vp_conditional.groovy
experiment('mnist_vp_conditional') {
    seed 3
    data 'mnist', centered: true
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional',
          classes: 10
    train {
        steps 1500
        batchSize 32
        lr 1e-3
        warmup 100
        gradClip 1.0
        ema 0.999
        labelDropout 0.1
        logEvery 20
        evalEvery 250
        evalBatches 2
        checkpointEvery 100
        keepCheckpoints 3
    }
    sample {
        predictor 'reverse_diffusion'
        corrector 'langevin', snr: 0.16, nSteps: 1
        steps 200
        eps 1e-3
        denoise true
        n 64
        batchSize 64
    }
}
