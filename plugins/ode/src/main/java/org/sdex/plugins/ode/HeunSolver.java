package org.sdex.plugins.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.sampling.OdeFunction;

/**
 * Heun's method, the explicit trapezoidal rule: an Euler predictor {@code p = y + h k1},
 * {@code k2 = F(t + h, p)}, then {@code y += h (k1 + k2) / 2}; second order (Heun 1900; Hairer,
 * Nørsett & Wanner 1993, Sec. II.1).
 *
 * <p>Two evaluations in every step, the last included. Nothing can be reused across steps: the
 * next step's first slope is taken at the corrected state, not at the predictor where {@code k2}
 * was. (EDM's Heun sampler makes its last step plain Euler because it ends at sigma = 0; the
 * probability-flow ODE ends at eps, so the last step keeps its correction and the method its order.)
 */
final class HeunSolver extends FixedStepSolver {
    HeunSolver(int steps) { super("heun", steps); }

    @Override int evaluationsPerStep() { return 2; }

    @Override int scratchBuffers() { return 1; }

    @Override
    void step(OdeFunction f, double t, double h, INDArray y, INDArray[] scratch) {
        INDArray p = scratch[0];
        INDArray k1 = Ops.derivative(name(), f, t, y, y, p);
        INDArray k2 = Ops.derivative(name(), f, t + h, Ops.axpy(h, k1, y, p), y);
        Ops.axpy(0.5 * h, k1, y);
        Ops.axpy(0.5 * h, k2, y);
    }
}
