experiment('wrong_type') {
    data 'checkerboard'
    sde 'vp'
    model 'mlp'
    train {
        steps 'many'
    }
}
