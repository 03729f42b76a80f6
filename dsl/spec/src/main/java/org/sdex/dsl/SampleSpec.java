package org.sdex.dsl;

import java.util.Map;
import org.sdex.core.config.Section;

/**
 * {@code sample { ... }}: the predictor and corrector plugins and one typed method per setting of
 * {@link org.sdex.core.config.SampleSettings}.
 */
public class SampleSpec extends BlockSpec {
    SampleSpec(ScriptContext context, Section section) { super(context, "sample", section); }

    /** The predictor, e.g. {@code predictor 'euler_maruyama'}. */
    public void predictor(String plugin) { plugin("predictor", plugin, null); }

    public void predictor(Map<String, ?> params, String plugin) { plugin("predictor", plugin, params); }

    /** The corrector, e.g. {@code corrector 'langevin', snr: 0.16, nSteps: 1}. */
    public void corrector(String plugin) { plugin("corrector", plugin, null); }

    public void corrector(Map<String, ?> params, String plugin) { plugin("corrector", plugin, params); }

    public void steps(int n) { set("steps", n); }

    public void n(int samples) { set("n", samples); }

    public void batchSize(int n) { set("batchSize", n); }

    public void eps(double t) { set("eps", t); }

    public void denoise(boolean on) { set("denoise", on); }

    public void probabilityFlow(boolean on) { set("probabilityFlow", on); }

    public void plot(boolean on) { set("plot", on); }

    public void seed(int seed) { set("seed", seed); }
}
