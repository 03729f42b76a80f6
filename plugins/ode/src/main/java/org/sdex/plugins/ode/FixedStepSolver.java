package org.sdex.plugins.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.sampling.OdeFunction;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;

/**
 * A one-step method on the uniform grid {@code t_i = t0 + i h}, {@code h = (t1 - t0) / steps}, in
 * either direction. The state lives in one buffer updated in place; a method's scratch buffers are
 * allocated once per solve. Exactly {@code steps * evaluationsPerStep()} right-hand-side
 * evaluations are made, also when {@code t0 == t1} (then {@code h = 0} and y stays y0).
 */
abstract class FixedStepSolver implements OdeSolver {
    private final String name;
    private final int steps;

    FixedStepSolver(String name, int steps) {
        if (steps < 1) throw new IllegalArgumentException(name + ": needs at least one step, got " + steps);
        this.name = name;
        this.steps = steps;
    }

    /** Right-hand-side evaluations per step (none is shared between steps). */
    abstract int evaluationsPerStep();

    /** Scratch buffers one step needs besides the state, allocated once per solve. */
    abstract int scratchBuffers();

    /** Advances {@code y} in place from {@code t} to {@code t + h}. */
    abstract void step(OdeFunction f, double t, double h, INDArray y, INDArray[] scratch);

    final String name() { return name; }

    final int steps() { return steps; }

    @Override
    public final OdeSolution solve(OdeFunction f, INDArray y0, double t0, double t1) {
        Ops.checkProblem(name, f, y0, t0, t1);
        INDArray y = Ops.copy(y0);
        INDArray[] scratch = new INDArray[scratchBuffers()];
        for (int i = 0; i < scratch.length; i++) scratch[i] = Ops.buffer(y);
        double h = (t1 - t0) / steps;
        for (int i = 0; i < steps; i++) step(f, t0 + i * h, h, y, scratch);
        return new OdeSolution(y, steps * evaluationsPerStep(), steps, 0);
    }
}
