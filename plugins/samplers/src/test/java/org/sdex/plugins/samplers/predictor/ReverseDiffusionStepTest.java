package org.sdex.plugins.samplers.predictor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/**
 * One reverse-diffusion step against the update written out by hand from the SDEs' discretisations
 * (DDPM's betas for VP, SMLD's sigmas for VE, Euler-Maruyama for sub-VP), with the score of Gaussian
 * data N(0, S0^2 I) pushed through the SDE, {@code s(x, t) = -x / (alpha^2 S0^2 + sigma^2)}.
 */
class ReverseDiffusionStepTest {
    static final double[][] X = {{0.5, -1.0}, {2.0, 0.25}, {-0.75, 1.5}};
    static final double S0 = 0.7;
    static final int N = 1000;

    /** The score of N(0, S0^2 I) data at time t, from the SDE's alpha(t) and sigma(t). */
    static ScoreFunction gaussianScore(Sde sde) {
        return (x, t) -> {
            double a = sde.meanScale(t), s = sde.marginalStd(t);
            return x.mul(-1.0 / (a * a * S0 * S0 + s * s));
        };
    }

    static Step step(Sde sde, boolean probabilityFlow, double t, Rng rng) {
        ReverseDiffusionPlugin rd = new ReverseDiffusionPlugin();
        return rd.create(Params.of(rd, Map.of()), new SamplerContext(sde, gaussianScore(sde), N, 1e-3, true, probabilityFlow, StepHook.NONE))
                .update(Nd4j.createFromArray(X), t, -1.0 / N, rng);
    }

    @Test
    void vpStepReversesTheDdpmStep() {
        double b0 = 0.1, b1 = 20, t = 0.4;
        // DDPM's beta_i for i = floor(t (N - 1)) = 399, and the VP marginal at t by hand
        double beta = b0 / N + 399 * (b1 - b0) / N / (N - 1);
        double alpha = Math.exp(-t * t * (b1 - b0) / 4 - t * b0 / 2);
        double v = alpha * alpha * S0 * S0 + (1 - alpha * alpha);
        Step s = step(new VpSde(b0, b1), false, t, new Rng(5));
        INDArray z = new Rng(5).normal(DataType.DOUBLE, 3, 2);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                // x - rev_f with rev_f = (sqrt(1 - beta) - 1) x - beta s
                double mean = x - (Math.sqrt(1 - beta) - 1) * x + beta * (-x / v);
                assertThat(s.mean().getDouble(b, i)).isCloseTo(mean, offset(1e-12));
                assertThat(s.x().getDouble(b, i)).isCloseTo(mean + Math.sqrt(beta) * z.getDouble(b, i), offset(1e-12));
            }
        }
    }

    @Test
    void veProbabilityFlowStepIsDeterministicWithHalfTheSmldIncrement() {
        double t = 0.7;
        // i = floor(0.7 * 999) = 699: sigma_i and sigma_{i-1} of the geometric schedule
        double si = 0.01 * Math.pow(5000, 699.0 / 999), sp = 0.01 * Math.pow(5000, 698.0 / 999);
        double sigma = 0.01 * Math.pow(5000, t);
        Rng rng = new Rng(9);
        Step s = step(new VeSde(0.01, 50), true, t, rng);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                double expected = x + 0.5 * (si * si - sp * sp) * (-x / (S0 * S0 + sigma * sigma));
                assertThat(s.x().getDouble(b, i)).isCloseTo(expected, offset(1e-12));
            }
        }
        assertThat(s.mean()).isEqualTo(s.x());
        assertThat(rng.state()).as("no noise drawn").containsExactly(9, 0);
    }

    @Test
    void subVpStepUsesTheEulerMaruyamaDiscretisation() {
        double b0 = 0.1, b1 = 20, t = 0.25, h = 1.0 / N;
        double beta = b0 + t * (b1 - b0);
        double alpha = Math.exp(-t * t * (b1 - b0) / 4 - t * b0 / 2);
        double sigma = 1 - alpha * alpha;
        double g2 = beta * (1 - Math.pow(alpha, 4));
        double v = alpha * alpha * S0 * S0 + sigma * sigma;
        Step s = step(new SubVpSde(b0, b1), false, t, new Rng(6));
        INDArray z = new Rng(6).normal(DataType.DOUBLE, 3, 2);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                // D = f h = -beta h / 2, G^2 = g^2 h
                double mean = x + 0.5 * beta * h * x + g2 * h * (-x / v);
                assertThat(s.mean().getDouble(b, i)).isCloseTo(mean, offset(1e-12));
                assertThat(s.x().getDouble(b, i)).isCloseTo(mean + Math.sqrt(g2 * h) * z.getDouble(b, i), offset(1e-12));
            }
        }
    }
}
