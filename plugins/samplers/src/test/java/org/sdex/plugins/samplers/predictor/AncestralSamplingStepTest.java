package org.sdex.plugins.samplers.predictor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.sdex.plugins.samplers.predictor.ReverseDiffusionStepTest.S0;
import static org.sdex.plugins.samplers.predictor.ReverseDiffusionStepTest.X;
import static org.sdex.plugins.samplers.predictor.ReverseDiffusionStepTest.gaussianScore;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/**
 * One ancestral-sampling step against the reference's SMLD step (VE), DDPM's step (VP) and the
 * Gaussian posterior written out by hand (sub-VP), with the score of N(0, S0^2 I) data.
 */
class AncestralSamplingStepTest {
    static Predictor predictor(Sde sde, int steps) {
        AncestralSamplingPlugin p = new AncestralSamplingPlugin();
        return p.create(Params.of(p, Map.of()), new SamplerContext(sde, gaussianScore(sde), steps, 1e-3, true, false, StepHook.NONE));
    }

    static double vpAlpha(double t) { return Math.exp(-t * t * 19.9 / 4 - t * 0.1 / 2); }

    /** Song et al. 2021, App. F: x_{i-1} = x_i + (sigma_i^2 - sigma_{i-1}^2) s + sqrt(sigma_{i-1}^2 (sigma_i^2 - sigma_{i-1}^2) / sigma_i^2) z. */
    @Test
    void onVeItIsTheReferenceSmldStep() {
        double t = 0.6, dt = -1e-3;
        double si = 0.01 * Math.pow(5000, t), sp = 0.01 * Math.pow(5000, t + dt);
        Step s = predictor(new VeSde(0.01, 50), 1000).update(Nd4j.createFromArray(X), t, dt, new Rng(3));
        INDArray z = new Rng(3).normal(DataType.DOUBLE, 3, 2);
        double std = Math.sqrt(sp * sp * (si * si - sp * sp) / (si * si));
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                double mean = x + (si * si - sp * sp) * (-x / (S0 * S0 + si * si));
                assertThat(s.mean().getDouble(b, i)).isCloseTo(mean, offset(1e-12));
                assertThat(s.x().getDouble(b, i)).isCloseTo(mean + std * z.getDouble(b, i), offset(1e-12));
            }
        }
    }

    /**
     * DDPM (Ho et al. 2020): x_{i-1} = (x_i + beta_i s) / sqrt(1 - beta_i) + noise. With
     * beta = 1 - (alpha_t / alpha_s)^2 the mean is exactly that and the variance is DDPM's posterior
     * beta~ = beta (1 - alpha_s^2) / (1 - alpha_t^2); with the reference's beta_i ~ beta(t) / N the
     * mean differs by O(1/N^2): the difference times N^2 settles to a constant.
     */
    @Test
    void onVpItIsTheDdpmStep() {
        double t = 0.5;
        double[] scaledError = new double[2];
        int[] ns = {1000, 4000};
        for (int q = 0; q < 2; q++) {
            int n = ns[q];
            double dt = -1.0 / n;
            double at = vpAlpha(t), as = vpAlpha(t + dt);
            double beta = 1 - (at / as) * (at / as);
            double betaTilde = beta * (1 - as * as) / (1 - at * at);
            double betaRef = (0.1 + t * 19.9) / n;
            double v = at * at * S0 * S0 + 1 - at * at;
            Step s = predictor(new VpSde(0.1, 20), n).update(Nd4j.createFromArray(X), t, dt, new Rng(8));
            INDArray z = new Rng(8).normal(DataType.DOUBLE, 3, 2);
            double worst = 0;
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < 2; i++) {
                    double x = X[b][i];
                    double mean = (x + beta * (-x / v)) / Math.sqrt(1 - beta);
                    assertThat(s.mean().getDouble(b, i)).isCloseTo(mean, offset(1e-12));
                    assertThat(s.x().getDouble(b, i)).isCloseTo(mean + Math.sqrt(betaTilde) * z.getDouble(b, i), offset(1e-12));
                    double reference = (x + betaRef * (-x / v)) / Math.sqrt(1 - betaRef);
                    worst = Math.max(worst, Math.abs(s.mean().getDouble(b, i) - reference));
                }
            }
            scaledError[q] = worst * n * n;
        }
        assertThat(scaledError[0]).isGreaterThan(1.0).isLessThan(100.0);
        assertThat(scaledError[1]).isCloseTo(scaledError[0], offset(0.05 * scaledError[0]));
    }

    /** Sub-VP: the posterior q(x_s | x_t, x0) in the form of its derivation, with sigma(t) = 1 - alpha(t)^2. */
    @Test
    void onSubVpItSamplesTheGaussianPosterior() {
        double t = 0.3, dt = -2e-3, s = t + dt;
        double at = vpAlpha(t), as = vpAlpha(s), st = 1 - at * at, ss = 1 - as * as;
        double a = at / as, v = st * st - a * a * ss * ss;
        double var = v * ss * ss / (st * st);
        Step step = predictor(new SubVpSde(0.1, 20), 500).update(Nd4j.createFromArray(X), t, dt, new Rng(4));
        INDArray z = new Rng(4).normal(DataType.DOUBLE, 3, 2);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                double x0 = (x + st * st * (-x / (at * at * S0 * S0 + st * st))) / at;
                double mean = a * ss * ss / (st * st) * x + as * v / (st * st) * x0;
                assertThat(step.mean().getDouble(b, i)).isCloseTo(mean, offset(1e-12));
                assertThat(step.x().getDouble(b, i)).isCloseTo(mean + Math.sqrt(var) * z.getDouble(b, i), offset(1e-12));
            }
        }
    }

    /**
     * What one step does to the marginal: with N(0, S0^2) data, x_t ~ N(0, alpha_t^2 S0^2 + sigma_t^2)
     * and the true reverse kernel gives x_s the variance of p_s, alpha_s^2 S0^2 + sigma_s^2. Ancestral
     * sampling puts the point estimate x0_hat into q(x_s | x_t, x0) and so loses exactly the
     * posterior variance of x0, (alpha_s v_ts / sigma_t^2)^2 Var(x0 | x_t) = O(1/N^2) per step, with
     * Var(x0 | x_t) = S0^2 sigma_t^2 / (alpha_t^2 S0^2 + sigma_t^2). Checked on all three SDEs.
     */
    @Test
    void oneStepMapsTheMarginalAtTToTheMarginalAtSButForTheVarianceOfX0() {
        for (Sde sde : new Sde[] {new VpSde(0.1, 20), new SubVpSde(0.1, 20), new VeSde(0.01, 50)}) {
            double t = 0.45, dt = -0.01, s = t + dt;
            double at = sde.meanScale(t), as = sde.meanScale(s), st = sde.marginalStd(t), ss = sde.marginalStd(s);
            double vt = sq(at * S0) + sq(st), vs = sq(as * S0) + sq(ss);
            double v = st * st - sq(at / as) * ss * ss;
            double dropped = sq(as * v / (st * st)) * S0 * S0 * st * st / vt;
            // unit input: the mean's coefficient c in x' = c x; zero input: the step's own noise
            Step unit = predictor(sde, 100).update(Nd4j.createFromArray(new double[][] {{1.0}}), t, dt, new Rng(1));
            double c = unit.mean().getDouble(0, 0);
            double noiseVar = varianceOfNoise(sde, t, dt);
            assertThat(c * c * vt + noiseVar + dropped).as(sde.getClass().getSimpleName()).isCloseTo(vs, offset(1e-12 * vs));
        }
    }

    /** The step's noise variance, read off as (x - mean)^2 / z^2 for one draw. */
    private static double varianceOfNoise(Sde sde, double t, double dt) {
        Step s = predictor(sde, 100).update(Nd4j.createFromArray(new double[][] {{0.0}}), t, dt, new Rng(2));
        double z = new Rng(2).normal(DataType.DOUBLE, 1, 1).getDouble(0, 0);
        return sq((s.x().getDouble(0, 0) - s.mean().getDouble(0, 0)) / z);
    }

    /** The last step of a grid ending at eps lands on s = 0: the posterior is the point x0_hat, no noise. */
    @Test
    void theLastVpStepReturnsTweediesEstimateWithoutNoise() {
        double t = 1e-3, dt = -1e-3;
        double at = vpAlpha(t), st2 = 1 - at * at;
        Rng rng = new Rng(12);
        Step s = predictor(new VpSde(0.1, 20), 1000).update(Nd4j.createFromArray(X), t, dt, rng);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                double x0 = (x + st2 * (-x / (at * at * S0 * S0 + st2))) / at;
                assertThat(s.x().getDouble(b, i)).isCloseTo(x0, offset(1e-12));
            }
        }
        assertThat(rng.state()).as("no noise drawn").containsExactly(12, 0);
        // a step past 0 (rounding of the grid) is clamped to 0, not extrapolated
        Step past = predictor(new VpSde(0.1, 20), 1000).update(Nd4j.createFromArray(X), t, dt * (1 + 1e-9), new Rng(12));
        assertThat(past.x()).isEqualTo(s.x());
    }

    @Test
    void thereIsNoProbabilityFlowVersion() {
        AncestralSamplingPlugin p = new AncestralSamplingPlugin();
        Sde sde = new VpSde(0.1, 20);
        assertThatThrownBy(() -> p.create(Params.of(p, Map.of()), new SamplerContext(sde, gaussianScore(sde), 10, 1e-3, true, true, StepHook.NONE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ancestral_sampling has no probability-flow version; use reverse_diffusion or euler_maruyama with probabilityFlow");
        assertThat(p.unsupported(sde, Params.of(p, Map.of()))).isNull();
        assertThat(p.unsupported(new SubVpSde(0.1, 20), Params.of(p, Map.of()))).isNull();
    }

    private static double sq(double v) { return v * v; }
}
