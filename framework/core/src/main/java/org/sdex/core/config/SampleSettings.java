package org.sdex.core.config;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;

/**
 * The settings of the {@code sample} block, shared by its three ways of sampling (predictor-corrector
 * loop, probability-flow ODE, whole-trajectory solver; see {@link org.sdex.core.sample.SamplingMethod}):
 * steps from T down to eps, then optionally a final denoising step.
 */
public record SampleSettings(int steps, int n, int batchSize, double eps, boolean denoise,
                             boolean probabilityFlow, boolean plot, int seed) {

    public static final String DEFAULT_PREDICTOR = "euler_maruyama";
    public static final String DEFAULT_CORRECTOR = "none";

    public static final List<Param> PARAMS = List.of(
            Param.integer("steps", 1000, "steps from T to eps (predictor-corrector, fixed-step ode, solver; a solver's own default when unset)").min(1),
            Param.integer("n", 1000, "number of samples").min(1),
            Param.integer("batchSize", 0, "samples per batch (0 = all at once)").min(0),
            Param.real("eps", 1e-3, "last time of the reverse process (the reference's sampling eps)").positive().max(1),
            Param.bool("denoise", true, "end with the noise-free estimate (last step's mean; Tweedie's formula after an ode)"),
            Param.bool("probabilityFlow", false, "predictors follow the probability-flow ODE instead of the reverse SDE"),
            Param.bool("plot", true, "write a plot of the samples (scatter for 2-D data)"),
            Param.integer("seed", 0, "seed of the sampler's noise (default: the experiment's seed)").min(0));

    public static SampleSettings from(Params p) {
        return new SampleSettings(p.integer("steps"), p.integer("n"), p.integer("batchSize"), p.real("eps"),
                p.bool("denoise"), p.bool("probabilityFlow"), p.bool("plot"), p.integer("seed"));
    }

    public int effectiveBatch() { return batchSize == 0 ? n : Math.min(batchSize, n); }
}
