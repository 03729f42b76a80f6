package org.sdex.cli.counted;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;

/** Euler's method with a fixed 50 steps, logging each solver it makes ("ode"). */
public final class CountedEulerOdePlugin implements OdeSolverPlugin {
    private static final int STEPS = 50;

    @Override public String name() { return "counted_euler"; }

    @Override public String description() { return "Euler's method, 50 steps; logs each creation"; }

    @Override public List<Param> parameters() { return List.of(CallLog.PARAM); }

    @Override public boolean adaptive() { return true; }

    @Override
    public OdeSolver create(Params params, int steps) {
        CallLog.record(params, "ode");
        return (f, y0, t0, t1) -> {
            INDArray y = y0.dup();
            double h = (t1 - t0) / STEPS;
            for (int i = 0; i < STEPS; i++) y.addi(f.derivative(t0 + i * h, y).muli(h));
            return new OdeSolution(y, STEPS, STEPS, 0);
        };
    }
}
