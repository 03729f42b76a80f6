// Inpainting on Fashion-MNIST with the U-Net of fashion_subvp.groovy, sample-only from its trained
// weights: the first 64 test images with a centred 14x14 box missing, sigma_y = 0.05, PiGDM with 100
// Euler-Maruyama steps (2 network passes per step: the score and its input VJP; about 5 minutes on
// one core). Writes reconstructions.npy, observations.npy, strip.png (A+y, reconstruction, truth) and
// inverse.csv (PSNR/SSIM of each image and of the zero-filled baseline). Results: docs/guides.md.
// 70% random pixels missing instead: --set condition.operator.mask=random; other guides:
// --set condition.guide=dps (any differentiable operator) or replace (score_sde's inpainter).
//   ./sdex run experiments/fashion_inpaint.groovy --set model.init=runs/fashion_subvp-...
experiment('fashion_inpaint') {
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
        operator 'inpaint', mask: 'box', missing: 0.7
        split 'test'
        n 64
        noise 0.05
    }
}
