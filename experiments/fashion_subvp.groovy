// DDPM++ (sub-VP) on Fashion-MNIST, sized for a 2-core CPU: a 1.26M-parameter U-Net (nf 32,
// levels 28/14/7, one BigGAN residual block per level, attention at 7x7) trained for 4000 steps
// (about an hour on two cores), then 64 samples with Euler-Maruyama and the test-set bits/dim of 16 images.
// Needs Fashion-MNIST under the data root: `./sdex data get fashion` puts it in ./data.
// The samples and loss curve of one such run are in docs/fashion.md.
//   ./sdex data get fashion && ./sdex run experiments/fashion_subvp.groovy
experiment('fashion_subvp') {
    seed 7
    data 'fashion', centered: true
    sde 'subvp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional'
    train {
        steps 4000
        batchSize 32
        lr 1e-3
        warmup 100
        gradClip 1.0
        ema 0.999
        logEvery 20
        evalEvery 300
        evalBatches 2
        checkpointEvery 100
        keepCheckpoints 3
    }
    sample {
        predictor 'euler_maruyama'
        steps 250
        eps 1e-3
        denoise true
        n 64
        batchSize 64
    }
    // test-set bits/dim through the probability-flow ODE (uniform dequantization of the 8-bit pixels);
    // each rk45 stage is a vector-Jacobian product through the U-Net, so only a few images here
    likelihood {
        split 'test'
        n 16
        batchSize 16
        trace 'hutchinson'
        probes 'rademacher'
        ode 'rk45', rtol: 1e-4, atol: 1e-4
    }
}
