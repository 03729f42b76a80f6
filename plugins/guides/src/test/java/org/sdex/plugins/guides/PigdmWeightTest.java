package org.sdex.plugins.guides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.guides.operator.DenoisePlugin;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.Measurement;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.sde.Sde;

/**
 * ΠGDM's paper weighting rate r_t^2 alpha^2 / g^2 against its closed forms on VP, sub-VP and VE
 * (B(t) = betaMin t + (betaMax - betaMin) t^2 / 2, unit data variance unless said), and the step it
 * makes per sampler step against the paper's on a Gaussian prior.
 */
class PigdmWeightTest {
    private static final double[] TIMES = {1e-3, 0.05, 0.3, 0.7, 1.0};

    @Test
    void vp() {
        VpSde sde = new VpSde(0.1, 20);
        for (double t : TIMES) {
            double a2 = Math.exp(-(0.1 * t + 19.9 * t * t / 2)), beta = 0.1 + 19.9 * t;
            // r^2 = 1 - alpha^2 for v = 1: w = rate alpha^2 (1 - alpha^2) / beta
            assertThat(PigdmPlugin.paperWeight(sde, t, 1.0, 100)).isCloseTo(100 * a2 * (1 - a2) / beta, within(1e-9 * (1 + 100 * a2 / beta)));
        }
    }

    @Test
    void subVpWithADataVariance() {
        SubVpSde sde = new SubVpSde(0.1, 20);
        double v = 0.3;
        for (double t : TIMES) {
            double b = 0.1 * t + 19.9 * t * t / 2, a2 = Math.exp(-b), beta = 0.1 + 19.9 * t;
            double level2 = Math.pow(1 - Math.exp(-b), 2) / a2, r2 = v * level2 / (v + level2);
            double expected = 50 * r2 * a2 / (beta * (1 - Math.exp(-2 * b)));
            assertThat(PigdmPlugin.paperWeight(sde, t, v, 50)).isCloseTo(expected, within(1e-7 * expected));
        }
        // at t = 1 (r^2 ~ 1, g^2 ~ 20) the weight is ~ rate alpha^2 / 20 = 100 e^-10.05 / 20: the alpha^2 that
        // cancels the 1/alpha^2 of the unweighted pull-back
        assertThat(PigdmPlugin.paperWeight(sde, 1.0, 1.0, 100)).isCloseTo(100 * Math.exp(-10.05) / 20, within(0.01 * 100 * Math.exp(-10.05) / 20));
    }

    /**
     * A paper step (Alg. 1) moves x / alpha by r_t^2 ∇_{x/alpha} log p(y | x_t), i.e. x by alpha^2 r_t^2
     * ∇_x log p(y | x_t). For a N(0, v) prior with its exact score s = -x / m, m = alpha^2 v + sigma^2,
     * and A = I: x̂0 = alpha v x / m, ∂x̂0/∂x = alpha v / m, ∇_x log p(y | x_t) = (alpha v / m) (y - x̂0) /
     * (r_t^2 + noise^2). An Euler–Maruyama step of length dt moves x by g^2 dt times the guided score's
     * extra term: rate dt paper steps, but never more than one (Alg. 1's one per step).
     */
    @Test
    void aSamplerStepTakesRateDtPaperStepsButAtMostOne() {
        VpSde sde = new VpSde(0.1, 20);
        double v = 0.5, noise = 0.2, eps = 1e-3;
        INDArray x = Nd4j.createFromArray(new double[][] {{0.3, -1.2}, {2.0, 0.7}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0.5, 0.1}, {-0.4, 1.1}});
        GuideContext context = new GuideContext(sde, new long[] {2}, new Measurement(identity(), y, noise), null, null);
        // steps -> paper steps per sampler step at the default rate 100: 20 and 50 steps one each (uncapped: 4.995 and 1.998)
        Map<Integer, Double> paperSteps = Map.of(20, 1.0, 50, 1.0, 100, 0.999, 1000, 0.0999);
        paperSteps.forEach((steps, k) -> {
            for (double t : new double[] {0.9, 0.5, 0.1}) {
                double alpha = sde.meanScale(t), sigma = sde.marginalStd(t), m = alpha * alpha * v + sigma * sigma;
                double l2 = sigma * sigma / (alpha * alpha), r2 = v * l2 / (v + l2), g = sde.diffusion(t);
                double dt = (1 - eps) / steps;
                INDArray moved = guidanceOfOneStep(Map.of("dataVariance", v), context.sampledWith(steps, eps), x, t, g * g * dt);
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        double x0 = alpha * v * x.getDouble(i, j) / m;
                        double paperStep = alpha * alpha * r2 * (alpha * v / m) * (y.getDouble(i, j) - x0) / (r2 + noise * noise);
                        assertThat(moved.getDouble(i, j)).as("%d steps, t %.1f", steps, t)
                                .isCloseTo(k * paperStep, within(1e-9 * Math.abs(paperStep)));
                    }
                }
            }
        });
        // a sampler that chooses its steps (an adaptive ODE solver) takes the rate as given
        assertThat(PigdmPlugin.paperRate(100, context)).isEqualTo(100);
        assertThat(PigdmPlugin.paperRate(100, context.sampledWith(50, eps))).isCloseTo(50 / (1 - eps), within(1e-9));
        assertThat(PigdmPlugin.paperRate(30, context.sampledWith(50, eps))).isEqualTo(30);
    }

    /** How far the guidance moves x in an Euler–Maruyama step (g^2 dt times the guided score's extra term), on a N(0, 0.5) prior. */
    private static INDArray guidanceOfOneStep(Map<String, Object> params, GuideContext context, INDArray x, double t, double g2dt) {
        double v = 0.5;
        Sde sde = context.sde();
        DifferentiableScore prior = new DifferentiableScore() {
            double m(double time) { return sde.meanScale(time) * sde.meanScale(time) * v + sde.marginalStd(time) * sde.marginalStd(time); }

            @Override public INDArray score(INDArray at, double time) { return at.div(-m(time)); }

            @Override public INDArray vjp(INDArray at, double time, INDArray u) { return u.div(-m(time)); }
        };
        PigdmPlugin pigdm = new PigdmPlugin();
        ScoreFunction guided = pigdm.create(Params.of(pigdm, params), context).rows(0, (int) x.size(0)).score(prior);
        return guided.score(x, t).sub(prior.score(x, t)).muli(g2dt);
    }

    private static Operator identity() {
        DenoisePlugin denoise = new DenoisePlugin();
        return denoise.create(Params.of(denoise, Map.of()), new OperatorContext(new long[] {2}, null));
    }

    @Test
    void ve() {
        VeSde sde = new VeSde(0.01, 50);
        for (double t : TIMES) {
            double s2 = Math.pow(0.01 * Math.pow(5000, t), 2);
            // w = rate (s^2 / (1 + s^2)) / (2 s^2 ln(sigmaMax / sigmaMin))
            double expected = 100 / ((1 + s2) * 2 * Math.log(5000));
            assertThat(PigdmPlugin.paperWeight(sde, t, 1.0, 100)).isCloseTo(expected, within(1e-9 * expected));
        }
    }
}
