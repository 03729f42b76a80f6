package org.sdex.dsl;

import java.util.Map;
import org.sdex.core.config.Section;
import org.sdex.core.vocabulary.Vocabulary;

/**
 * {@code likelihood { ... }}: the ODE solver plugin ({@code ode 'rk45', rtol: 1e-5, atol: 1e-5} by
 * default) and one typed method per setting of {@link Vocabulary#LIKELIHOOD}.
 */
public class LikelihoodSpec extends BlockSpec {
    LikelihoodSpec(ScriptContext context, Section section) { super(context, Vocabulary.LIKELIHOOD, section); }

    /** The solver of the probability-flow ODE, e.g. {@code ode 'rk45', rtol: 1e-5, atol: 1e-5}. */
    public void ode(String plugin) { plugin("ode", plugin, null); }

    public void ode(Map<String, ?> params, String plugin) { plugin("ode", plugin, params); }

    /** Which split of a finite data set: {@code split 'test'} (default) or {@code 'train'}. */
    public void split(String split) { set("split", split); }

    public void n(Number points) { set("n", points); }

    public void batchSize(Number n) { set("batchSize", n); }

    /** {@code trace 'exact'}, {@code 'hutchinson'} or {@code 'auto'}. */
    public void trace(String how) { set("trace", how); }

    /** Hutchinson probes: {@code probes 'rademacher'} or {@code 'gaussian'}. */
    public void probes(String kind) { set("probes", kind); }

    public void k(Number probes) { set("k", probes); }

    public void eps(Number t) { set("eps", t); }

    public void repeats(Number draws) { set("repeats", draws); }

    public void roundTrip(boolean on) { set("roundTrip", on); }

    public void interpolate(Number frames) { set("interpolate", frames); }

    public void seed(Number seed) { set("seed", seed); }
}
