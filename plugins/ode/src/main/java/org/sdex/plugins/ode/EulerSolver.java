package org.sdex.plugins.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.sampling.OdeFunction;

/** The explicit Euler method, {@code y += h F(t, y)}: first order, one evaluation per step (Hairer, Nørsett & Wanner 1993, Sec. I.7). */
final class EulerSolver extends FixedStepSolver {
    EulerSolver(int steps) { super("euler", steps); }

    @Override int evaluationsPerStep() { return 1; }

    @Override int scratchBuffers() { return 0; }

    @Override
    void step(OdeFunction f, double t, double h, INDArray y, INDArray[] scratch) {
        Ops.axpy(h, Ops.derivative(name(), f, t, y, y), y);
    }
}
