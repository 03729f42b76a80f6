// DDPM++ (VP) on MNIST digits, sized for a 2-core CPU: a 1.26M-parameter U-Net (nf 32, levels
// 28/14/7, one BigGAN residual block per level, attention at 7x7) for 1000 steps, then 64 samples
// with reverse diffusion + Langevin. Needs MNIST under the data root: `./sdex data get mnist` puts
// full MNIST in ./data (the mnist10k subset, 9,000/1,000 digits, is read where full MNIST is absent).
//   ./sdex data get mnist && ./sdex run experiments/mnist_vp.groovy
experiment('mnist_vp') {
    seed 3
    data 'mnist', centered: true
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional'
    train {
        steps 1000
        batchSize 32
        lr 1e-3
        warmup 100
        gradClip 1.0
        ema 0.999
        logEvery 20
        evalEvery 250
        evalBatches 2
        checkpointEvery 100
        keepCheckpoints 3
    }
    sample {
        predictor 'reverse_diffusion'
        corrector 'langevin', snr: 0.16, nSteps: 1
        steps 200
        eps 1e-3
        denoise true
        n 64
        batchSize 64
    }
}
