experiment('syntax_error') {
    data 'checkerboard'
    sde 'vp', betaMax: 20)
    model 'mlp'
    train { steps 10 }
}
