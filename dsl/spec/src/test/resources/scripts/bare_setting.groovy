experiment('bare_setting') {
    data 'gmm'
    sde 'vp'
    model 'exact'
    sample {
        n 100
        denoise
    }
}
