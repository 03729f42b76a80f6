experiment('missing_comma') {
    data 'checkerboard'
    sde 'vp' betaMax: 20
    model 'mlp'
}
