// x4 super-resolution on Fashion-MNIST (7x7 average-pooled observations of the first 64 test
// images, sigma_y = 0.05) with the U-Net of fashion_subvp.groovy, sample-only from its trained
// weights; PiGDM, 100 Euler-Maruyama steps (about 5 minutes on one core; --set condition.guide=dps
// for DPS). The baseline row of inverse.csv is A+y: each 4x4 block filled with its observed mean
// (nearest-neighbour upsampling). Results: docs/guides.md.
//   ./sdex run experiments/fashion_superres.groovy --set model.init=runs/fashion_subvp-...
experiment('fashion_superres') {
    seed 7
    data 'fashion', centered: true
    sde 'subvp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional',
          init: 'runs/fashion_subvp', weights: 'ema'
    sample {
        predictor 'euler_maruyama'
        steps 100
        eps 1e-3
        batchSize 64
    }
    condition {
        guide 'pigdm'
        operator 'superres', factor: 4
        n 64
        noise 0.05
    }
}
