// Inpainting on Fashion-MNIST with the U-Net of fashion_subvp.groovy, sample-only from its trained
// weights: the first 64 test images with a centred 14x14 box missing, sigma_y = 0.05, DPS with 250
// Euler-Maruyama steps (2 network passes per step: the score and its input VJP). Writes
// reconstructions.npy, observations.npy, strip.png (A+y, reconstruction, truth) and inverse.csv
// (PSNR/SSIM of each image and of the zero-filled baseline). 70% random pixels missing instead:
//   --set condition.operator.mask=random
// The weights: a checkpoint of experiments/fashion_subvp.groovy, e.g.
//   ./sdex run experiments/fashion_inpaint.groovy --set model.init=runs/fashion_subvp-.../checkpoints/ckpt-900.sdex
experiment('fashion_inpaint') {
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
        operator 'inpaint', mask: 'box', missing: 0.7
        split 'test'
        n 64
        noise 0.05
    }
}
