experiment('out_of_range') {
    data 'checkerboard'
    sde 'vp'
    model 'mlp'
    train {
        steps 10
        lr -1
    }
}
