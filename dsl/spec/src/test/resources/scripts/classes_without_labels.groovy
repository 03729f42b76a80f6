// good.groovy with a class-conditional model on data without labels.
experiment('good') {
    seed 1
    data 'checkerboard'
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'mlp', hidden: [32, 32], classes: 4
    train { steps 10; batchSize 64; lr 2e-3; warmup 2; gradClip 1.0; ema 0.999 }
    sample {
        predictor 'euler_maruyama'
        corrector 'none'
        steps 10
        n 100
        eps 1e-3
        denoise true
    }
}
