experiment('unknown_top_level') {
    data 'checkerboard'
    sde 'vp'
    model 'mlp'
    optimizer 'adam'
}
