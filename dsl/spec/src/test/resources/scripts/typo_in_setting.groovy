experiment('typo') {
    data 'checkerboard'
    sde 'vp'
    model 'mlp'
    train {
        batchSize 64
        stpes 10
    }
}
