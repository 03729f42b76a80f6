// A sweep without training: the fast solvers at several step counts on the exact score of a 2-D
// Gaussian mixture (VP SDE). Every point's samples are compared with exact draws of the mixture
// (sliced Wasserstein distance), so the report ranks the solvers by quality per score evaluation.
//   ./sdex sweep experiments/sweep_solvers.groovy            # 12 points on this machine
//   ./sdex sweep report sweeps/sweep_solvers --x sample.steps
experiment('sweep_solvers') {
    seed 3
    data 'gmm', weights: [0.5, 0.3, 0.2],
                means: [[-2, 0], [2, 1], [0, -2.5]],
                covariances: [[[0.3, 0.1], [0.1, 0.2]], [[0.2, 0], [0, 0.5]], [[0.4, -0.15], [-0.15, 0.2]]]
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'exact'
    sample {
        solver 'dpm_solver_pp'
        steps 20
        n 4000
    }
    sweep {
        grid 'sample.solver': ['dpm_solver_pp', 'edm_heun', 'ddim'],
             'sample.steps': [5, 10, 20, 50]
    }
}
