package org.sdex.cli.counted;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;

/**
 * The exact score of standard normal data under a VP SDE, -x at every time (the marginals stay
 * standard normal), logging each model it makes ("model").
 */
public final class CountedStandardNormalScorePlugin implements ModelPlugin {
    @Override public String name() { return "counted_standard_normal"; }

    @Override public String description() { return "score -x of standard normal data under a VP SDE; logs each creation"; }

    @Override public List<Param> parameters() { return List.of(CallLog.PARAM); }

    @Override
    public Model create(Params params, ModelContext context) {
        CallLog.record(params, "model");
        DifferentiableScore score = new DifferentiableScore() {
            @Override public INDArray score(INDArray x, double t) { return x.neg(); }

            @Override public INDArray vjp(INDArray x, double t, INDArray v) { return v.neg(); }
        };
        return (AnalyticModel) () -> score;
    }
}
