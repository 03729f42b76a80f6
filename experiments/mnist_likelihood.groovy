// Bits per dimension on MNIST test digits through the probability-flow ODE (issue: exact
// likelihood). A small MLP score model is trained for a few minutes on the CPU, then the test
// set's bits/dim is estimated with Hutchinson's trace estimator and rk45, with its standard error, NFE and time per image.
//   ./sdex data get mnist && ./sdex run experiments/mnist_likelihood.groovy
experiment('mnist_likelihood') {
    seed 1
    data 'mnist', centered: true, uniformDequantization: true
    sde 'vp'
    model 'mlp', hidden: [1024, 1024, 1024]
    train {
        steps 2000
        batchSize 128
        lr 1e-3
        warmup 200
        ema 0.999
        evalEvery 500
        checkpointEvery 500
        sampleEvery 1000
        gradClip 1.0
        sampleGrid 36
    }
    sample { predictor 'euler_maruyama'; steps 500; n 64 }
    likelihood {
        split 'test'
        n 500
        batchSize 100
        trace 'hutchinson'
        probes 'rademacher'
        ode 'rk45', rtol: 1e-5, atol: 1e-5
        interpolate 8
    }
}
