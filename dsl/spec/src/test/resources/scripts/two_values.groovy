experiment('two_values') {
    data 'gmm'
    sde 'vp'
    model 'exact'
    sample {
        steps 10, 20
    }
}
