experiment('pf_solver') {
    data 'gmm', weights: [1], means: [[0, 0]], covariances: [[[1, 0], [0, 1]]]
    sde 'vp'
    model 'exact'
    sample {
        solver 'ddim'
        probabilityFlow true
    }
}
