// The samplers of docs/samplers.md compared on a trained Fashion-MNIST model by FID and KID against
// the test split, at their numbers of score evaluations (NFE): the quality-vs-NFE table on a real
// model. Nothing is trained: the weights come from a run of experiments/fashion_subvp.groovy, whose
// data, SDE and model this script repeats exactly. Name that run (or one of its checkpoints) with
// --set; without it validation stops at "model setting 'init': no file or directory ...".
// The features are those of sdex's own Fashion classifier (experiments/classifiers/fashion.sdex, a
// path relative to the checkout's root, so run from there): these FIDs compare with other sdex runs
// measured with the same classifier only, never with published Inception FIDs (docs/evaluation.md).
//   ./sdex sweep experiments/fashion_samplers_fid.groovy --set model.init=runs/fashion_subvp-20261203-163607
//   ./sdex sweep report sweeps/fashion_samplers_fid --sort fid
// Size: 64 samples per point (one batch) against all 10,000 test images. A forward pass of this
// U-Net at batch 64 takes ~0.9 s on two idle cores; the 8 points cost ~2,520 NFE together (EM 1000
// and 250 (fashion_subvp's own sampler), PC 500 x 2, rk45 ~200, 10 + 20 + 19 + 20 for the fast
// solvers): ~40 min one point after another. At 64 samples FID is mostly small-sample bias: the
// baseline (64 real training images against the same test images) is the FID a perfect sampler
// would get, and KID (unbiased) with its standard error is the number to compare.
// --set sample.n=256 for a tighter table (four times the time).
experiment('fashion_samplers_fid') {
    seed 7
    data 'fashion', centered: true
    sde 'subvp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional',
          init: 'runs/fashion_subvp', weights: 'ema'
    sample {
        predictor 'euler_maruyama'
        steps 1000
        eps 1e-3
        n 64
        batchSize 64
    }
    evaluate {
        split 'test'
        features 'classifier'
        checkpoint 'experiments/classifiers/fashion.sdex'
    }
    // one way of sampling per point; null keeps the script's setting (and leaves other ways unset)
    sweep {
        zip 'sample.predictor': ['euler_maruyama', 'euler_maruyama', 'reverse_diffusion', null, null, null, null, null],
            'sample.corrector': [null, null, 'langevin', null, null, null, null, null],
            'sample.ode':       [null, null, null, 'rk45', null, null, null, null],
            'sample.solver':    [null, null, null, null, 'dpm_solver_pp', 'dpm_solver_pp', 'edm_heun', 'ddim'],
            'sample.steps':     [1000, 250, 500, null, 10, 20, 10, 20]
    }
}
