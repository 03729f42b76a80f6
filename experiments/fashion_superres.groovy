// x4 super-resolution on Fashion-MNIST (7x7 average-pooled observations of the first 64 test
// images, sigma_y = 0.05) with the U-Net of fashion_subvp.groovy, sample-only from its trained
// weights; DPS, 250 Euler-Maruyama steps. The baseline row of inverse.csv is A+y: each 4x4 block
// filled with its observed mean (nearest-neighbour upsampling).
//   ./sdex run experiments/fashion_superres.groovy --set model.init=runs/fashion_subvp-.../checkpoints/ckpt-900.sdex
experiment('fashion_superres') {
    seed 7
    data 'fashion', centered: true
    sde 'subvp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional',
          init: 'checkpoints/fashion_subvp.sdex'
    sample {
        predictor 'euler_maruyama'
        steps 250
        eps 1e-3
        batchSize 16
    }
    condition {
        guide 'dps'
        operator 'superres', factor: 4
        n 64
        noise 0.05
    }
}
