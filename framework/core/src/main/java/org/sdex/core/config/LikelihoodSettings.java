package org.sdex.core.config;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;

/**
 * The {@code likelihood} block: exact log-likelihoods (and bits/dim for 8-bit images) through the
 * probability-flow ODE (Song et al. 2021, Sec. 4.3), the latent codes and their round trip. The ODE
 * solver is a plugin chosen in the block ({@code ode 'rk45', rtol: 1e-5, atol: 1e-5} by default).
 */
public record LikelihoodSettings(String split, int n, int batchSize, String trace, String probes, int k,
                                 double eps, int repeats, boolean roundTrip, int interpolate, int seed) {

    public static final String DEFAULT_ODE = "rk45";

    /** Data up to this many values per example use the exact trace when {@code trace} is auto. */
    public static final int EXACT_TRACE_MAX_DIMS = 64;

    public static final List<Param> PARAMS = List.of(
            Param.choice("split", "test", "which split of a finite data set to evaluate", "test", "train"),
            Param.integer("n", 1000, "points: the first n of the split (0 = all), or n fresh draws of a distribution").min(0),
            Param.integer("batchSize", 100, "points per ODE solve").min(1),
            Param.choice("trace", "auto", "divergence: exact (one VJP per dimension), hutchinson (random probes), "
                    + "auto (exact up to " + EXACT_TRACE_MAX_DIMS + " dimensions)", "auto", "exact", "hutchinson"),
            Param.choice("probes", "rademacher", "Hutchinson probe distribution", "rademacher", "gaussian"),
            Param.integer("k", 1, "Hutchinson probes per point (fixed over the solve, as the reference)").min(1),
            Param.real("eps", 1e-5, "time the data are taken at; the ODE runs from eps to T").positive().max(1),
            Param.integer("repeats", 1, "dequantization draws per image for bits/dim (the paper's evaluation uses several)").min(1),
            Param.bool("roundTrip", true, "decode the latents back and report the reconstruction error"),
            Param.integer("interpolate", 0, "frames of a spherical interpolation between two latents (image strip; 0 = none)").min(0),
            Param.integer("seed", 0, "seed of probes, draws and dequantization (default: the experiment's seed)").min(0));

    public static LikelihoodSettings from(Params p) {
        return new LikelihoodSettings(p.string("split"), p.integer("n"), p.integer("batchSize"), p.string("trace"),
                p.string("probes"), p.integer("k"), p.real("eps"), p.integer("repeats"), p.bool("roundTrip"),
                p.integer("interpolate"), p.integer("seed"));
    }

    /** The trace actually used for data with {@code dims} values per example. */
    public String traceFor(long dims) {
        if (!trace.equals("auto")) return trace;
        return dims <= EXACT_TRACE_MAX_DIMS ? "exact" : "hutchinson";
    }
}
