// Class-conditional DDPM++ (sub-VP) on Fashion-MNIST for classifier-free guidance: the network of
// fashion_subvp.groovy with a learned embedding of the 10 classes added to its noise-level
// embedding, trained with label dropout (each label replaced by the null label with probability 0.1),
// so that one network gives the score of each class and, with the null label, the unconditional one.
// Sized for a 2-core CPU like fashion_subvp (about an hour). The sample block draws with the null
// label (unguided); guided sampling of chosen classes needs the cfg guide.
//   ./sdex data get fashion && ./sdex run experiments/fashion_cfg.groovy
experiment('fashion_cfg') {
    seed 7
    data 'fashion', centered: true
    sde 'subvp', betaMin: 0.1, betaMax: 20
    model 'ddpmpp', classes: 10,
          nf: 32, chMult: [1, 2, 2], numResBlocks: 1, attnResolutions: [7],
          dropout: 0.0, resblockType: 'biggan', skipRescale: true, embeddingType: 'positional'
    train {
        steps 900
        batchSize 32
        lr 1e-3
        warmup 100
        gradClip 1.0
        ema 0.999
        labelDropout 0.1
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
}
