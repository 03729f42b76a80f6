experiment('setting_in_wrong_block') {
    data 'gmm'
    sde 'vp'
    model 'exact'
    sample {
        n 100
        lr 1e-3
    }
}
