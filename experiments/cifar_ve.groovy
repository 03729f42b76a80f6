// NCSN++ cont. (VE) on CIFAR-10, as the reference's configs/ve/cifar10_ncsnpp_continuous.py: FIR
// resampling, residual input pyramid, Gaussian Fourier embedding of the noise level, EMA 0.999;
// sampled with the reverse-diffusion predictor and one Langevin corrector step (snr 0.16).
// Needs the CIFAR-10 binary batches under <data root>/cifar-10-batches-bin: ./sdex data get cifar10.
experiment('cifar_ve') {
    seed 42
    data 'cifar10', centered: false, randomFlip: true
    sde 've', sigmaMin: 0.01, sigmaMax: 50
    model 'ncsnpp',
          nf: 128, chMult: [1, 2, 2, 2], numResBlocks: 4, attnResolutions: [16],
          dropout: 0.1, resampWithConv: true, skipRescale: true, resblockType: 'biggan',
          fir: true, firKernel: [1, 3, 3, 1], progressive: 'none', progressiveInput: 'residual',
          progressiveCombine: 'sum', embeddingType: 'fourier', fourierScale: 16, conditional: true, initScale: 0.0
    train {
        steps 1300000
        batchSize 128
        lr 2e-4
        warmup 5000
        gradClip 1.0
        ema 0.999
        reduceMean false
        likelihoodWeighting false
        eps 1e-5
        logEvery 50
        evalEvery 100
        checkpointEvery 10000
        keepCheckpoints 5
        sampleEvery 50000
        sampleGrid 64
    }
    sample {
        predictor 'reverse_diffusion'
        corrector 'langevin', snr: 0.16, nSteps: 1
        steps 1000
        eps 1e-5
        denoise true
        n 50000
        batchSize 500
    }
}
