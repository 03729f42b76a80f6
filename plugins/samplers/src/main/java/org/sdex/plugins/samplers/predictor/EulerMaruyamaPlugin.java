package org.sdex.plugins.samplers.predictor;

import org.sdex.spi.Params;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;

/** {@code euler_maruyama}: Euler-Maruyama on the reverse-time SDE, or Euler on the probability-flow ODE (Song et al. 2021, Sec. 4). */
public final class EulerMaruyamaPlugin implements PredictorPlugin {
    @Override public String name() { return "euler_maruyama"; }

    @Override public String description() { return "Euler-Maruyama on the reverse SDE (Euler on the ODE with probabilityFlow)"; }

    @Override public Predictor create(Params params, SamplerContext ctx) { return new EulerMaruyamaPredictor(ctx); }
}
