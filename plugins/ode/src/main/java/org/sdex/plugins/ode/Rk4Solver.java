package org.sdex.plugins.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.sampling.OdeFunction;

/**
 * The classic fourth-order Runge-Kutta method, four evaluations per step (Kutta 1901; Hairer,
 * Nørsett & Wanner 1993, Sec. II.1). One stage buffer serves all three stage states.
 */
final class Rk4Solver extends FixedStepSolver {
    Rk4Solver(int steps) { super("rk4", steps); }

    @Override int evaluationsPerStep() { return 4; }

    @Override int scratchBuffers() { return 1; }

    @Override
    void step(OdeFunction f, double t, double h, INDArray y, INDArray[] scratch) {
        INDArray s = scratch[0];
        String n = name();
        INDArray k1 = Ops.derivative(n, f, t, y, y, s);
        INDArray k2 = Ops.derivative(n, f, t + 0.5 * h, Ops.axpy(0.5 * h, k1, y, s), y, s);
        INDArray k3 = Ops.derivative(n, f, t + 0.5 * h, Ops.axpy(0.5 * h, k2, y, s), y, s);
        INDArray k4 = Ops.derivative(n, f, t + h, Ops.axpy(h, k3, y, s), y);
        Ops.axpy(h / 6, k1, y);
        Ops.axpy(h / 3, k2, y);
        Ops.axpy(h / 3, k3, y);
        Ops.axpy(h / 6, k4, y);
    }
}
