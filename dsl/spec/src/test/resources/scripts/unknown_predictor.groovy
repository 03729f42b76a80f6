experiment('unknown_predictor') {
    data 'gmm'
    sde 've'
    model 'exact'
    sample {
        predictor 'eular'
        steps 10
    }
}
