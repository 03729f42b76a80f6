// DDPM++ cont. (sub-VP) on CIFAR-10, as the reference's configs/subvp/cifar10_ddpmpp_continuous.py:
// continuous DSM with reduce_mean, batch 128, Adam lr 2e-4 with 5000 warm-up steps, gradient
// clipping 1, EMA 0.9999, 1.3M iterations; sampled with Euler-Maruyama (1000 steps, eps 1e-3).
// Needs the CIFAR-10 binary batches under <data root>/cifar-10-batches-bin: ./sdex data get cifar10.
// A GPU job (-Pcuda); on a CPU, shrink it: --set model.nf=32 --set model.numResBlocks=1 ...
experiment('cifar_subvp') {
    seed 42
    data 'cifar10', centered: true, randomFlip: true
    sde 'subvp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp',
          nf: 128, chMult: [1, 2, 2, 2], numResBlocks: 4, attnResolutions: [16],
          dropout: 0.1, resampWithConv: true, skipRescale: true, resblockType: 'biggan',
          fir: false, progressive: 'none', progressiveInput: 'none', progressiveCombine: 'sum',
          embeddingType: 'positional', conditional: true, initScale: 0.0
    train {
        steps 1300000
        batchSize 128
        lr 2e-4
        warmup 5000
        gradClip 1.0
        ema 0.9999
        reduceMean true
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
        predictor 'euler_maruyama'
        corrector 'none'
        steps 1000
        eps 1e-3
        denoise true
        n 50000
        batchSize 500
    }
    likelihood {
        split 'test'
        n 0
        batchSize 100
        trace 'hutchinson'
        repeats 5
        ode 'rk45', rtol: 1e-5, atol: 1e-5
    }
}
