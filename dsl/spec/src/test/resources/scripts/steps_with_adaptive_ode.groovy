experiment('rk45_steps') {
    data 'gmm', weights: [1], means: [[0, 0]], covariances: [[[1, 0], [0, 1]]]
    sde 've'
    model 'exact'
    sample {
        ode 'rk45', rtol: 1e-4
        steps 100
    }
}
