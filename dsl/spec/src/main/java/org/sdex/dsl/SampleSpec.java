package org.sdex.dsl;

import java.util.Map;
import org.sdex.core.config.Section;
import org.sdex.core.vocabulary.Vocabulary;

/**
 * {@code sample { ... }}: one way of sampling (predictor and corrector plugins, an {@code ode} solver
 * of the probability-flow ODE, or a whole-trajectory {@code solver}) and one typed method per
 * setting of {@link Vocabulary#SAMPLE}.
 */
public class SampleSpec extends BlockSpec {
    SampleSpec(ScriptContext context, Section section) { super(context, Vocabulary.SAMPLE, section); }

    /** The predictor, e.g. {@code predictor 'euler_maruyama'}. */
    public void predictor(String plugin) { plugin("predictor", plugin, null); }

    public void predictor(Map<String, ?> params, String plugin) { plugin("predictor", plugin, params); }

    /** The corrector, e.g. {@code corrector 'langevin', snr: 0.16, nSteps: 1}. */
    public void corrector(String plugin) { plugin("corrector", plugin, null); }

    public void corrector(Map<String, ?> params, String plugin) { plugin("corrector", plugin, params); }

    /**
     * Sample by integrating the probability-flow ODE with an ODE solver instead of the
     * predictor-corrector loop, e.g. {@code ode 'rk45', rtol: 1e-5, atol: 1e-5}.
     */
    public void ode(String plugin) { plugin("ode", plugin, null); }

    public void ode(Map<String, ?> params, String plugin) { plugin("ode", plugin, params); }

    /** Sample with a whole-trajectory solver, e.g. {@code solver 'dpm_solver_pp'; steps 20}. */
    public void solver(String plugin) { plugin("solver", plugin, null); }

    public void solver(Map<String, ?> params, String plugin) { plugin("solver", plugin, params); }

    public void steps(Number n) { set("steps", n); }

    public void n(Number samples) { set("n", samples); }

    public void batchSize(Number n) { set("batchSize", n); }

    public void eps(Number t) { set("eps", t); }

    public void denoise(boolean on) { set("denoise", on); }

    public void probabilityFlow(boolean on) { set("probabilityFlow", on); }

    public void plot(boolean on) { set("plot", on); }

    public void seed(Number seed) { set("seed", seed); }
}
