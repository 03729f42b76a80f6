package org.sdex.core.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.plugin.Resolved;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.OdeSolverPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SolverPlugin;

/**
 * How a {@code sample} block draws samples, as chosen and validated: the predictor-corrector loop,
 * the probability-flow ODE with an ODE solver, or a whole-trajectory solver.
 */
public sealed interface SamplingMethod {

    /** Short label for plots and logs, e.g. {@code euler_maruyama/none} or {@code ode rk45}. */
    String label();

    /** Score evaluations per sample when known in advance (-1 for adaptive solvers), final denoising included. */
    long expectedNfe(SampleSettings s);

    /** Names and parameters of the chosen plugins (for config.json and metrics). */
    Map<String, Object> describe();

    /** The steps from T to eps, or 0 when the way chooses them (an adaptive ODE solver). */
    default int steps(SampleSettings s) { return s.steps(); }

    /** Song et al. 2021 Alg. 1: N steps of corrector then predictor from T to eps. */
    record PredictorCorrector(Resolved<PredictorPlugin> predictor, Resolved<CorrectorPlugin> corrector) implements SamplingMethod {
        @Override public String label() { return predictor.name() + "/" + corrector.name(); }

        @Override public long expectedNfe(SampleSettings s) {
            return (long) s.steps() * (predictor.plugin().scoreEvaluationsPerStep(predictor.params())
                    + corrector.plugin().scoreEvaluationsPerStep(corrector.params()));
        }

        @Override public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("way", "pc");
            m.put("predictor", predictor.describe());
            m.put("corrector", corrector.describe());
            return m;
        }
    }

    /** The probability-flow ODE (Song et al. 2021 Sec. 4.3) from T to eps, then optionally Tweedie denoising. */
    record ProbabilityFlowOde(Resolved<OdeSolverPlugin> solver) implements SamplingMethod {
        @Override public String label() { return "ode " + solver.name(); }

        @Override public int steps(SampleSettings s) { return solver.plugin().adaptive() ? 0 : s.steps(); }

        @Override public long expectedNfe(SampleSettings s) {
            if (solver.plugin().adaptive()) return -1;
            return solver.plugin().evaluations(solver.params(), s.steps()) + (s.denoise() ? 1 : 0);
        }

        @Override public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("way", "ode");
            m.put("ode", solver.describe());
            return m;
        }
    }

    /** A solver that owns its time grid (DPM-Solver++, EDM Heun, DDIM). */
    record WholeTrajectory(Resolved<SolverPlugin> solver) implements SamplingMethod {
        @Override public String label() { return "solver " + solver.name(); }

        @Override public long expectedNfe(SampleSettings s) {
            return solver.plugin().scoreEvaluations(solver.params(), s.steps());
        }

        @Override public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("way", "solver");
            m.put("solver", solver.describe());
            return m;
        }
    }
}
