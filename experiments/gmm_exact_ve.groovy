// No training: the exact score of a Gaussian mixture pushed through the VE SDE. Samples should
// reproduce the mixture — a quick check of a sampler against the ground truth.
experiment('gmm_exact_ve') {
    seed 7
    data 'gmm', weights: [0.5, 0.3, 0.2],
                means: [[-2, 0], [2, 1], [0, -2.5]],
                covariances: [[[0.3, 0.1], [0.1, 0.2]], [[0.2, 0], [0, 0.5]], [[0.4, -0.15], [-0.15, 0.2]]]
    sde 've', sigmaMin: 0.01, sigmaMax: 50
    model 'exact'
    sample {
        predictor 'euler_maruyama'
        steps 1000
        n 5000
    }
}
