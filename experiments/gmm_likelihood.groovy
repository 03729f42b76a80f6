// Exact likelihoods through the probability-flow ODE, checked against the closed form: the data is
// a Gaussian mixture and the model is its exact score, so the log-density the ODE computes must
// match the mixture's own (reported as maeNats). Also samples with the adaptive rk45 ODE solver and
// round-trips points through their latent codes.     ./sdex run experiments/gmm_likelihood.groovy
experiment('gmm_likelihood') {
    seed 5
    data 'gmm', weights: [0.5, 0.3, 0.2],
                means: [[-3, 0], [2.5, 2], [1, -3]],
                covariances: [[[0.4, 0.15], [0.15, 0.25]], [[0.2, -0.1], [-0.1, 0.5]], [[0.6, 0], [0, 0.15]]]
    sde 'subvp'
    model 'exact'
    sample {
        ode 'rk45', rtol: 1e-5, atol: 1e-5
        n 5000
    }
    likelihood {
        ode 'rk45', rtol: 1e-6, atol: 1e-6
        n 500
        batchSize 500
        trace 'exact'
        interpolate 9
    }
}
