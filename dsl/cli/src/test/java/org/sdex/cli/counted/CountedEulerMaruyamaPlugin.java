package org.sdex.cli.counted;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.ReverseSde;

/** Euler-Maruyama on the reverse SDE, logging each predictor it makes ("predictor"). */
public final class CountedEulerMaruyamaPlugin implements PredictorPlugin {
    @Override public String name() { return "counted_euler_maruyama"; }

    @Override public String description() { return "Euler-Maruyama predictor; logs each creation"; }

    @Override public List<Param> parameters() { return List.of(CallLog.PARAM); }

    @Override
    public Predictor create(Params params, SamplerContext context) {
        CallLog.record(params, "predictor");
        ReverseSde reverse = new ReverseSde(context.sde(), context.score(), context.probabilityFlow());
        return (x, t, dt, rng) -> {
            INDArray mean = x.add(reverse.drift(x, t).muli(dt));
            INDArray noise = rng.normal(x.dataType(), x.shape()).muli(reverse.diffusion(t) * Math.sqrt(-dt));
            return new Step(mean.add(noise), mean);
        };
    }
}
