// A class-conditional model on data without labels.
experiment('classes_without_labels') {
    seed 1
    data 'checkerboard'
    sde 'vp', betaMin: 0.1, betaMax: 20
    model 'mlp', hidden: [32, 32], classes: 4
    train { steps 10; batchSize 64 }
}
