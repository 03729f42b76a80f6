package org.sdex.core.config;

import org.sdex.spi.Params;

/**
 * The {@code likelihood} block: exact log-likelihoods (and bits/dim for 8-bit images) through the
 * probability-flow ODE (Song et al. 2021, Sec. 4.3), the latent codes and their round trip. The ODE
 * solver is a plugin chosen in the block ({@code ode 'rk45', rtol: 1e-5, atol: 1e-5} by default).
 * Declared in {@link org.sdex.core.vocabulary.Vocabulary#LIKELIHOOD}; a component per setting.
 */
public record LikelihoodSettings(String split, int n, int batchSize, String trace, String probes, int k,
                                 double eps, int repeats, boolean roundTrip, int interpolate, int seed) {
    /** Data up to this many values per example use the exact trace when {@code trace} is auto. */
    public static final int EXACT_TRACE_MAX_DIMS = 64;

    public static LikelihoodSettings from(Params p) {
        return SettingsBinding.bind(LikelihoodSettings.class, p);
    }

    /** The trace actually used for data with {@code dims} values per example. */
    public String traceFor(long dims) {
        if (!trace.equals("auto")) return trace;
        return dims <= EXACT_TRACE_MAX_DIMS ? "exact" : "hutchinson";
    }
}
