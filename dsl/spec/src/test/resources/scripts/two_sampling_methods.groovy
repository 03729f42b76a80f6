experiment('two_ways') {
    data 'gmm', weights: [1], means: [[0, 0]], covariances: [[[1, 0], [0, 1]]]
    sde 'vp'
    model 'exact'
    sample {
        predictor 'euler_maruyama'
        solver 'dpm_solver_pp'
    }
}
