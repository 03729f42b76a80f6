experiment('analytic_with_train') {
    data 'gmm'
    sde 'vp'
    model 'exact'
    train {
        steps 10
    }
}
