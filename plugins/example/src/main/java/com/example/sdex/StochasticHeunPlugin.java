package com.example.sdex;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;

/**
 * {@code stochastic_heun}: Heun's predictor-corrector step for SDEs with additive noise (the
 * stochastic trapezoid rule, Kloeden &amp; Platen 1992, Sec. 15.1). An example third-party plugin.
 */
public final class StochasticHeunPlugin implements PredictorPlugin {
    @Override public String name() { return "stochastic_heun"; }

    @Override public String description() { return "Heun's method on the reverse SDE (2 score evaluations per step); example plugin"; }

    @Override public String version() { return "0.1"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("noiseScale", 1.0, "multiplies the injected noise (1 = the reverse SDE)").min(0).max(1));
    }

    @Override public int scoreEvaluationsPerStep(Params params) { return 2; }

    @Override
    public Predictor create(Params params, SamplerContext context) {
        return new StochasticHeunPredictor(context, params.real("noiseScale"));
    }
}
