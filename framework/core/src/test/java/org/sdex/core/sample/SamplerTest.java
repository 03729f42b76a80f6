package org.sdex.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.plugin.Resolved;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;

/**
 * The sampling driver, independent of any particular predictor or solver: batching, per-example
 * noise streams, exact NFE counts and the probability-flow path. Sample quality of each plugin is
 * tested in the plugin modules against the Gaussian-mixture oracle.
 */
class SamplerTest {
    /** Data N(0, S^2 I): its score under a linear SDE is -x / (alpha^2 S^2 + sigma^2). */
    static final double S = 0.7;

    static ScoreFunction gaussian(Sde sde) {
        return (x, t) -> {
            double a = sde.meanScale(t), s = sde.marginalStd(t);
            return x.mul(-1.0 / (a * a * S * S + s * s));
        };
    }

    static SampleSettings settings(int steps, int n, int batch, boolean denoise, int seed) {
        return new SampleSettings(steps, n, batch, 1e-3, denoise, false, false, seed);
    }

    static SamplingMethod eulerMaruyama() { return org.sdex.core.train.Fixtures.eulerMaruyama(); }

    static INDArray draw(Sde sde, SamplingMethod method, SampleSettings s) {
        return new Sampler(sde, gaussian(sde), method, s).sample(new long[] {3}, DataType.DOUBLE, null).samples();
    }

    @Test
    void theSameSeedGivesTheSameSamplesForAnyBatchSize() {
        Sde sde = new VeSde(0.01, 50);
        INDArray whole = draw(sde, eulerMaruyama(), settings(50, 48, 0, true, 9));
        assertThat(draw(sde, eulerMaruyama(), settings(50, 48, 20, true, 9))).isEqualTo(whole);
        assertThat(draw(sde, eulerMaruyama(), settings(50, 48, 0, true, 10))).isNotEqualTo(whole);
    }

    @Test
    void predictorCorrectorCountsEveryScoreEvaluationAndReportsProgress() {
        Sde sde = new VpSde(0.1, 20);
        SampleSettings s = settings(37, 10, 4, true, 1);
        Sampler sampler = new Sampler(sde, gaussian(sde), eulerMaruyama(), s);
        long[] last = {0};
        Sampler.Result r = sampler.sample(new long[] {2}, DataType.DOUBLE, done -> last[0] = done);
        assertThat(r.nfe()).isEqualTo(37);
        assertThat(r.nfeMax()).isEqualTo(37);
        assertThat(eulerMaruyama().expectedNfe(s)).isEqualTo(37);
        assertThat(sampler.progressUnits()).isEqualTo(3 * 37);
        assertThat(last[0]).isEqualTo(3 * 37);
    }

    /** A fixed-step Euler integrator, written here so the driver is tested without the ode plugins. */
    static final class EulerOde implements OdeSolverPlugin {
        @Override public String name() { return "test_euler"; }

        @Override public String description() { return "Euler (test)"; }

        @Override public OdeSolver create(Params params, int steps) {
            return (f, y0, t0, t1) -> {
                INDArray y = y0.dup();
                double h = (t1 - t0) / steps;
                for (int i = 0; i < steps; i++) y.addi(f.derivative(t0 + i * h, y).muli(h));
                return new OdeSolution(y, steps, steps, 0);
            };
        }
    }

    @Test
    void theProbabilityFlowOdeCarriesThePriorToTheDataAndDenoisesWithOneMoreEvaluation() {
        Sde sde = new VpSde(0.1, 20);
        EulerOde euler = new EulerOde();
        SamplingMethod ode = new SamplingMethod.ProbabilityFlowOde(new Resolved<>(euler, Params.of(euler, Map.of())));
        SampleSettings s = settings(400, 20_000, 0, true, 3);
        Sampler.Result r = new Sampler(sde, gaussian(sde), ode, s).sample(new long[] {2}, DataType.DOUBLE, null);
        assertThat(r.nfe()).isEqualTo(401);
        assertThat(ode.expectedNfe(s)).isEqualTo(401);
        // The flow of a Gaussian is linear, x_eps = x_T std(eps)/std(T), and Tweedie's formula then
        // gives alpha S^2 x / std(eps)^2: the std must be S up to Euler's O(h) error (under 1% at 400
        // steps, measured 0.3%) and the sampling error of 40,000 values (0.35%).
        assertThat(r.samples().stdNumber().doubleValue()).isCloseTo(S, offset(0.015 * S));
        assertThat(r.samples().meanNumber().doubleValue()).isCloseTo(0, offset(0.02));
    }

    /** A solver that records what it was given and evaluates the score once per step. */
    static final class RecordingSolver implements SolverPlugin {
        SamplerContext seen;

        @Override public String name() { return "test_solver"; }

        @Override public String description() { return "records its context (test)"; }

        @Override public int scoreEvaluations(Params params, int steps) { return steps; }

        @Override public Solver create(Params params, SamplerContext ctx) {
            seen = ctx;
            return (xT, rng, onStep) -> {
                INDArray x = xT.dup();
                for (int i = 0; i < ctx.steps(); i++) {
                    x = ctx.score().score(x, ctx.sde().T());
                    if (onStep != null) onStep.accept(i + 1);
                }
                return x;
            };
        }
    }

    @Test
    void aWholeTrajectorySolverGetsTheSettingsAndItsEvaluationsAreCounted() {
        Sde sde = new VeSde(0.01, 50);
        RecordingSolver solver = new RecordingSolver();
        SamplingMethod method = new SamplingMethod.WholeTrajectory(new Resolved<>(solver, Params.of(solver, Map.of())));
        Sampler.Result r = new Sampler(sde, gaussian(sde), method, new SampleSettings(7, 5, 0, 2e-3, false, false, false, 1))
                .sample(new long[] {2}, DataType.DOUBLE, null);
        assertThat(r.nfe()).isEqualTo(7);
        assertThat(method.expectedNfe(new SampleSettings(7, 5, 0, 2e-3, false, false, false, 1))).isEqualTo(7);
        assertThat(solver.seen.steps()).isEqualTo(7);
        assertThat(solver.seen.eps()).isEqualTo(2e-3);
        assertThat(solver.seen.denoise()).isFalse();
    }
}
