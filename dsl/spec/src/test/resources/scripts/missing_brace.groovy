experiment('missing_brace') {
    data 'checkerboard'
    sde 'vp'
    model 'mlp'
    train {
        steps 10
}
