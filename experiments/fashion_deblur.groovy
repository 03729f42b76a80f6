// Gaussian deblurring on Fashion-MNIST (a 9x9 kernel of width 2 pixels, circular boundaries,
// sigma_y = 0.05, the first 64 test images) with the U-Net of fashion_subvp.groovy, sample-only from
// its trained weights; PiGDM in the blur's Fourier basis, 100 Euler-Maruyama steps (about 5 minutes
// on one core; --set condition.guide=dps for DPS). The baseline row is A+y, the pseudo-inverse of the
// blur: it amplifies the noise in the frequencies the kernel nearly removes. Results: docs/guides.md.
//   ./sdex run experiments/fashion_deblur.groovy --set model.init=runs/fashion_subvp-...
experiment('fashion_deblur') {
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
        operator 'blur', size: 9, width: 2.0
        n 64
        noise 0.05
    }
}
