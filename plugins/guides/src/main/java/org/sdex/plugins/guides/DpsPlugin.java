package org.sdex.plugins.guides;

import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.sde.Sde;

/** {@code dps}: diffusion posterior sampling, the score pushed down the gradient of ‖y − A(x̂₀)‖ through Tweedie's estimate (Chung et al. 2023, arXiv 2209.14687, Alg. 1-2). */
public final class DpsPlugin implements GuidePlugin {
    @Override public String name() { return "dps"; }

    @Override
    public String description() {
        return "diffusion posterior sampling: score - scale / g(t)^2 * grad ||y - A(x0_hat)||, any differentiable A (Chung et al. 2023)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("scale", 50.0, "step zeta: x moves by zeta dt along -grad ||y - A(x0_hat)|| per time dt (50: the best of 10, 50, 200 on the mixtures of sdex bench guides)").positive());
    }

    @Override public Set<GuideNeed> needs(Params params) { return Set.of(GuideNeed.MEASUREMENT, GuideNeed.SCORE_VJP); }

    /** The score and one input VJP per evaluation. */
    @Override public int evaluationsPerScore(Params params) { return 2; }

    /**
     * DPS takes the step {@code -zeta_i ∇ ||y - A(x̂0)||^2} with {@code zeta_i = zeta' / ||y - A(x̂0)||}, i.e.
     * a step of fixed length along {@code -∇ ||y - A(x̂0)||}, after each unconditional step. Written as
     * a change of the score so that every sampling way takes it: a reverse step of length dt moves x
     * by {@code g(t)^2 dt} times the score, so {@code s - (zeta / g(t)^2) ∇ ||y - A(x̂0)||} moves it by
     * {@code zeta dt} along the DPS direction, whatever the number of steps (zeta = 2 zeta' N for
     * the paper's N-step DDPM). The gradient is {@code -(∂x̂0/∂x)ᵀ A'(x̂0)ᵀ r / ||r||}, r = y - A(x̂0).
     */
    @Override
    public Guide create(Params params, GuideContext context) {
        return new MeasurementGuide(context, (y, score) -> {
            Sde sde = context.sde();
            Operator a = context.measurement().operator();
            double zeta = params.real("scale");
            DifferentiableScore s = (DifferentiableScore) score;
            return (x, t) -> {
                double g = sde.diffusion(t);
                return PosteriorScore.guided(sde, s, x, t, zeta / (g * g), (x0, time) -> {
                    INDArray r = y.castTo(x0.dataType()).sub(a.forward(x0));
                    long b = r.size(0);
                    INDArray norms = r.reshape(b, r.length() / b).norm2(1).reshape(b, 1);
                    // rows already consistent with y take no step (avoid 0/0)
                    norms.assign(norms.add(norms.eq(0).castTo(norms.dataType())));
                    INDArray unit = r.reshape(b, r.length() / b).divColumnVector(norms).reshape(r.shape());
                    return a.vjp(x0, unit);
                });
            };
        });
    }

    /** A guide whose score depends on the observations of its batch. */
    static final class MeasurementGuide implements Guide {
        interface Scores {
            ScoreFunction guided(INDArray observations, ScoreFunction score);
        }

        private final GuideContext context;
        private final Scores scores;
        private final INDArray observations;

        MeasurementGuide(GuideContext context, Scores scores) { this(context, scores, null); }

        private MeasurementGuide(GuideContext context, Scores scores, INDArray observations) {
            this.context = context;
            this.scores = scores;
            this.observations = observations;
        }

        @Override
        public Guide rows(long first, int count) {
            return new MeasurementGuide(context, scores, context.measurement().rows(first, count));
        }

        @Override
        public ScoreFunction score(ScoreFunction unconditional) {
            if (observations == null) throw new IllegalStateException("ask for the guide of a batch (rows) first");
            return scores.guided(observations, unconditional);
        }
    }
}
