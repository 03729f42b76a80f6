package org.sdex.plugins.samplers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/**
 * The PC loop of the reference and of the kernel's sampler (Song et al. 2021, Alg. 1):
 * t_i = linspace(T, eps, N), dt = -T/N, corrector then predictor, and the last predictor step's
 * noise-free mean as the sample. Row i draws from example i's noise stream ({@link Rng#rows}).
 */
final class PcLoop {
    private PcLoop() {}

    static INDArray sample(Sde sde, Predictor predictor, Corrector corrector, int steps, double eps, int n, int dim, long seed) {
        Rng rng = Rng.rows(seed, 0, n);
        double T = sde.T(), dt = -T / steps;
        INDArray x = sde.priorSample(rng, DataType.DOUBLE, n, dim);
        INDArray mean = x;
        for (int i = 0; i < steps; i++) {
            double t = T + (eps - T) * i / (steps - 1);
            Step c = corrector.update(x, t, rng);
            Step p = predictor.update(c.x(), t, dt, rng);
            x = p.x();
            mean = p.mean();
        }
        return mean;
    }
}
