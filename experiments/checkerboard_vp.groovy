// The quick-start experiment: learn a 2-D checkerboard with a VP SDE and an MLP score network,
// then draw samples with the Euler-Maruyama predictor. Trains and samples in about two minutes
// on a 2-core CPU:   ./sdex run experiments/checkerboard_vp.groovy
experiment('checkerboard_vp') {
    seed 1
    data 'checkerboard'
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'mlp', hidden: [256, 256, 256]
    train {
        steps 3000
        batchSize 512
        lr 2e-3
        warmup 100
        gradClip 1.0
        ema 0.999
        checkpointEvery 1000
    }
    sample {
        predictor 'euler_maruyama'
        corrector 'none'
        steps 500
        n 10000
        eps 1e-3
        denoise true
    }
}
