// Gaussian deblurring on Fashion-MNIST (a 9x9 kernel of width 2 pixels, circular boundaries,
// sigma_y = 0.05, the first 64 test images) with the U-Net of fashion_subvp.groovy, sample-only from
// its trained weights; DPS (works for any differentiable operator), 250 Euler-Maruyama steps. The
// baseline row is A+y, the pseudo-inverse of the blur (the frequencies the kernel keeps, undone).
//   ./sdex run experiments/fashion_deblur.groovy --set model.init=runs/fashion_subvp-.../checkpoints/ckpt-900.sdex
experiment('fashion_deblur') {
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
        operator 'blur', size: 9, width: 2.0
        n 64
        noise 0.05
    }
}
