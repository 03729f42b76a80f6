package org.sdex.plugins.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.ParamType;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.NoiseLabel;
import org.sdex.spi.sde.Sde;

/** What every solver promises the kernel: registration, typed parameters, exact NFE, SDE checks, batch-independent noise. */
class SolverContractTest {
    static final double EPS = 1e-3;

    /** Every solver, deterministic and stochastic. */
    static Stream<Arguments> solvers() {
        return Stream.of(
                Arguments.of("dpm_solver_pp", Map.of()),
                Arguments.of("dpm_solver_pp", Map.of("order", 1, "skipType", "time_quadratic", "lowerOrderFinal", false)),
                Arguments.of("dpm_solver_pp", Map.of("skipType", "time_uniform")),
                Arguments.of("dpm_solver_pp", Map.of("order", 2, "skipType", "logSNR")),
                Arguments.of("edm_heun", Map.of()),
                Arguments.of("edm_heun", Map.of("sChurn", 40.0, "sTmin", 0.05, "sTmax", 50.0, "sNoise", 1.007)),
                Arguments.of("ddim", Map.of()),
                Arguments.of("ddim", Map.of("eta", 1.0)));
    }

    @Test
    void theSolversAreRegisteredWithSnakeCaseNamesTypedParametersAndOneLineDescriptions() {
        List<String> names = new ArrayList<>();
        for (SolverPlugin p : ServiceLoader.load(SolverPlugin.class)) {
            names.add(p.name());
            assertThat(p.name()).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
            assertThat(p.kind()).isEqualTo(PluginKind.SOLVER);
            assertThat(p.description()).isNotBlank().doesNotContain("\n");
            for (Param param : p.parameters()) {
                assertThat(param.description()).as(p.name() + "." + param.name()).isNotBlank();
                assertThat(param.defaultValue()).as(p.name() + "." + param.name()).isNotNull();
                if (param.type() == ParamType.REAL || param.type() == ParamType.INT) {
                    assertThat(param.min()).as("range of %s.%s", p.name(), param.name()).isNotNull();
                }
            }
            Params.of(p, Map.of()); // the defaults are valid
            assertThat(p.defaultSteps()).isPositive();
            assertThat(p.scoreEvaluations(Params.of(p, Map.of()), p.defaultSteps())).isBetween(20, 50);
        }
        assertThat(names).containsExactlyInAnyOrder("dpm_solver_pp", "edm_heun", "ddim");
    }

    @Test
    void outOfRangeParametersAreRejected() {
        List<Object[]> bad = List.of(
                new Object[] {"dpm_solver_pp", "order", 4}, new Object[] {"dpm_solver_pp", "order", 0},
                new Object[] {"dpm_solver_pp", "skipType", "karras"}, new Object[] {"ddim", "eta", -0.1},
                new Object[] {"ddim", "eta", 1.5}, new Object[] {"edm_heun", "rho", 0.0},
                new Object[] {"edm_heun", "sChurn", -1.0}, new Object[] {"edm_heun", "sNoise", 0.0});
        for (Object[] b : bad) {
            SolverPlugin p = Fixtures.solver((String) b[0]);
            assertThatThrownBy(() -> Params.of(p, Map.of((String) b[1], b[2]))).as("%s %s=%s", b[0], b[1], b[2])
                    .isInstanceOf(ParamException.class);
        }
        SolverPlugin edm = Fixtures.solver("edm_heun");
        Params crossed = Params.of(edm, Map.of("sTmin", 2.0, "sTmax", 1.0));
        assertThatThrownBy(() -> edm.create(crossed, context(Fixtures.sde("vp"), 10, true)))
                .isInstanceOf(ParamException.class).hasMessageContaining("sTmin");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("solvers")
    void scoreEvaluationsAreExactWithAndWithoutDenoising(String solver, Map<String, Object> params) {
        SolverPlugin p = Fixtures.solver(solver);
        Params ps = Params.of(p, params);
        Sde sde = Fixtures.sde("vp");
        for (int steps : new int[] {1, 2, 3, 5, 14, 15, 16}) {
            for (boolean denoise : new boolean[] {false, true}) {
                AtomicInteger calls = new AtomicInteger();
                ScoreFunction exact = Fixtures.exactScore(MixtureQualityTest.MIXTURE, sde);
                ScoreFunction counting = (x, t) -> {
                    calls.incrementAndGet();
                    assertThat(t).isBetween(EPS, sde.T()); // never asked outside [eps, T]
                    return exact.score(x, t);
                };
                List<Integer> progress = new ArrayList<>();
                INDArray xT = sde.priorSample(new Rng(1), DataType.DOUBLE, 4, 2);
                INDArray x = p.create(ps, new SamplerContext(sde, counting, steps, EPS, denoise, false, StepHook.NONE)).sample(xT, Rng.rows(2, 0, 4), progress::add);
                assertThat(calls.get()).as("%s %s steps=%d denoise=%s", solver, params, steps, denoise)
                        .isEqualTo(p.scoreEvaluations(ps, steps));
                assertThat(progress).as("progress").hasSize(steps).isSorted().endsWith(steps);
                assertThat(x.shape()).isEqualTo(xT.shape());
                assertThat(x.isNaN().any() || x.isInfinite().any()).isFalse();
            }
        }
        assertThat(p.scoreEvaluations(ps, 20)).isEqualTo(solver.equals("edm_heun") ? 39 : 20);
    }

    /** Row i only uses row i's noise stream: two halves of a batch give the same samples as the batch. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("solvers")
    void theSameSeedGivesTheSameSamplesForAnyBatchSplit(String solver, Map<String, Object> params) {
        Sde sde = Fixtures.sde("vp");
        ScoreFunction score = Fixtures.exactScore(MixtureQualityTest.MIXTURE, sde);
        INDArray whole = sample(solver, params, sde, score, 0, 10);
        INDArray halves = Nd4j.concat(0, sample(solver, params, sde, score, 0, 4), sample(solver, params, sde, score, 4, 6));
        assertThat(halves.equals(whole)).as("%s %s", solver, params).isTrue();
        // the batch is not trivially constant, and the prior draw is left alone
        assertThat(whole.getRow(0).equals(whole.getRow(1))).isFalse();
        Rng rng = Rng.rows(11, 0, 10);
        INDArray xT = sde.priorSample(rng, DataType.DOUBLE, 10, 2);
        INDArray copy = xT.dup();
        Fixtures.run(solver, params, sde, score, 6, EPS, true, xT, rng);
        assertThat(xT.equals(copy)).isTrue();
    }

    /** Samples in and out keep the dtype of the prior draw (float here), and agree with double precision. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("solvers")
    void floatInFloatOut(String solver, Map<String, Object> params) {
        Sde sde = Fixtures.sde("ve");
        ScoreFunction score = Fixtures.exactScore(MixtureQualityTest.MIXTURE, sde);
        INDArray xT = sde.priorSample(Rng.rows(3, 0, 8), DataType.DOUBLE, 8, 2);
        INDArray d = Fixtures.run(solver, params, sde, score, 10, EPS, true, xT, Rng.rows(4, 0, 8));
        INDArray f = Fixtures.run(solver, params, sde, score, 10, EPS, true, xT.castTo(DataType.FLOAT), Rng.rows(4, 0, 8));
        assertThat(f.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(f.castTo(DataType.DOUBLE).sub(d).amaxNumber().doubleValue()).isLessThan(1e-3);
    }

    /** Stochastic solvers draw noise from the passed generator; deterministic ones ignore it. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("solvers")
    void noiseComesOnlyFromThePassedGenerator(String solver, Map<String, Object> params) {
        Sde sde = Fixtures.sde("vp");
        ScoreFunction score = Fixtures.exactScore(MixtureQualityTest.MIXTURE, sde);
        INDArray xT = sde.priorSample(Rng.rows(3, 0, 8), DataType.DOUBLE, 8, 2);
        INDArray a = Fixtures.run(solver, params, sde, score, 10, EPS, true, xT, Rng.rows(4, 0, 8));
        INDArray again = Fixtures.run(solver, params, sde, score, 10, EPS, true, xT, Rng.rows(4, 0, 8));
        INDArray other = Fixtures.run(solver, params, sde, score, 10, EPS, true, xT, Rng.rows(5, 0, 8));
        boolean stochastic = params.containsKey("sChurn") || params.containsKey("eta");
        assertThat(again.equals(a)).isTrue();
        assertThat(other.equals(a)).as("%s %s with another seed", solver, params).isEqualTo(!stochastic);
    }

    @Test
    void everyLinearSdeWithAMonotoneSignalToNoiseRatioIsSupported() {
        for (String solver : new String[] {"dpm_solver_pp", "edm_heun", "ddim"}) {
            SolverPlugin p = Fixtures.solver(solver);
            Params ps = Params.of(p, Map.of());
            for (String sde : new String[] {"vp", "subvp", "ve"}) assertThat(p.unsupported(Fixtures.sde(sde), ps)).as(sde).isNull();
            // an Ornstein-Uhlenbeck SDE (the plugin guide's example) too
            assertThat(p.unsupported(sde(t -> Math.exp(-t), t -> Math.sqrt(-Math.expm1(-2 * t))), ps)).isNull();

            String shrinking = p.unsupported(sde(t -> 1.0, t -> 1 - 0.5 * t), ps);
            String noMean = p.unsupported(sde(t -> 1 - t, t -> 0.1 + t), ps);
            String meanGrowsFaster = p.unsupported(sde(t -> Math.exp(3 * t), t -> 0.1 + t), ps);
            assertThat(shrinking).contains(solver).contains("increasing");
            assertThat(noMean).contains(solver).contains("meanScale");
            assertThat(meanGrowsFaster).contains(solver).contains("increasing");
            Sde bad = sde(t -> 1.0, t -> 1 - 0.5 * t);
            assertThatThrownBy(() -> p.create(ps, context(bad, 10, true))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> p.create(ps, new SamplerContext(Fixtures.sde("vp"), (x, t) -> x, 10, 1.0, true, false, StepHook.NONE)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eps");
            assertThatThrownBy(() -> p.create(ps, new SamplerContext(Fixtures.sde("vp"), (x, t) -> x, 0, EPS, true, false, StepHook.NONE)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps");
        }
    }

    /** The grids end exactly at T and eps, are strictly decreasing, and logSNR / EDM grids are uniform in what they claim. */
    @Test
    void timeGrids() {
        Sde sde = Fixtures.sde("vp");
        DenoiserView v = new DenoiserView(sde, (x, t) -> x);
        int n = 12;
        for (double[] g : new double[][] {TimeGrid.timeUniform(1, EPS, n), TimeGrid.timeQuadratic(1, EPS, n),
                TimeGrid.logSnr(v, 1, EPS, n), TimeGrid.karras(v, 1, EPS, n, 7)}) {
            assertThat(g).hasSize(n + 1);
            assertThat(g[0]).isEqualTo(1.0);
            assertThat(g[n]).isEqualTo(EPS);
            for (int i = 1; i <= n; i++) assertThat(g[i]).isLessThan(g[i - 1]);
        }
        double[] l = TimeGrid.logSnr(v, 1, EPS, n);
        double h = (v.lambda(EPS) - v.lambda(1)) / n;
        for (int i = 1; i <= n; i++) assertThat(v.lambda(l[i]) - v.lambda(l[i - 1])).isCloseTo(h, org.assertj.core.data.Offset.offset(1e-9));
        double[] k = TimeGrid.karras(v, 1, EPS, n, 7);
        double step = (Math.pow(v.scaledSigma(EPS), 1 / 7.0) - Math.pow(v.scaledSigma(1), 1 / 7.0)) / n;
        for (int i = 1; i <= n; i++) {
            assertThat(Math.pow(v.scaledSigma(k[i]), 1 / 7.0) - Math.pow(v.scaledSigma(k[i - 1]), 1 / 7.0))
                    .isCloseTo(step, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(TimeGrid.timeUniform(1, EPS, 0)).containsExactly(1.0);
    }

    static INDArray sample(String solver, Map<String, Object> params, Sde sde, ScoreFunction score, int first, int count) {
        Rng rng = Rng.rows(42, first, count);
        INDArray xT = sde.priorSample(rng, DataType.DOUBLE, count, 2);
        return Fixtures.run(solver, params, sde, score, 8, EPS, true, xT, rng);
    }

    static SamplerContext context(Sde sde, int steps, boolean denoise) {
        return new SamplerContext(sde, (x, t) -> x, steps, EPS, denoise, false, StepHook.NONE);
    }

    /** A linear SDE given by its alpha and sigma (drift and diffusion consistent with them). */
    static Sde sde(java.util.function.DoubleUnaryOperator alpha, java.util.function.DoubleUnaryOperator sigma) {
        return new Sde() {
            @Override public double driftCoefficient(double t) { return (Math.log(alpha.applyAsDouble(t + 1e-6)) - Math.log(alpha.applyAsDouble(t))) / 1e-6; }
            @Override public double diffusion(double t) { return 1.0; }
            @Override public double meanScale(double t) { return alpha.applyAsDouble(t); }
            @Override public double marginalStd(double t) { return sigma.applyAsDouble(t); }
            @Override public double priorStd() { return sigma.applyAsDouble(1.0); }
            @Override public NoiseLabel noiseLabel() { return NoiseLabel.TIME_999; }
        };
    }
}
