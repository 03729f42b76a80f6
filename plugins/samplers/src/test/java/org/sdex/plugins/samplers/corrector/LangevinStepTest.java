package org.sdex.plugins.samplers.corrector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/**
 * Langevin and ALD corrector steps against the updates written out by hand (Song et al. 2021,
 * Alg. 4-5; Song and Ermon 2019), with the score of N(0, S0^2 I) data pushed through the SDE, and
 * the step-size factor alpha_i of each SDE's discretisation computed by hand.
 */
class LangevinStepTest {
    static final double[][] X = {{0.5, -1.0, 0.2}, {2.0, 0.25, -0.4}, {-0.75, 1.5, 1.0}, {0.1, 0.3, -2.0}};
    static final double S0 = 0.7;
    static final int N = 1000;
    static final double B0 = 0.1, B1 = 20;

    static double vpAlpha(double t) { return Math.exp(-t * t * (B1 - B0) / 4 - t * B0 / 2); }

    /** -x / v(t) with v = alpha^2 S0^2 + sigma^2, alpha and sigma by hand. */
    static double variance(String sde, double t) {
        return switch (sde) {
            case "vp" -> vpAlpha(t) * vpAlpha(t) * S0 * S0 + 1 - vpAlpha(t) * vpAlpha(t);
            case "subvp" -> vpAlpha(t) * vpAlpha(t) * S0 * S0 + Math.pow(1 - vpAlpha(t) * vpAlpha(t), 2);
            default -> S0 * S0 + Math.pow(0.01 * Math.pow(5000, t), 2);
        };
    }

    /** alpha_i: 1 - beta_i of DDPM for VP, 1 for VE, (1 - beta(t) / (2N))^2 of Euler-Maruyama for sub-VP. */
    static double alphaI(String sde, double t) {
        int i = (int) (t * (N - 1));
        return switch (sde) {
            case "vp" -> 1 - (B0 / N + i * (B1 - B0) / N / (N - 1));
            case "subvp" -> Math.pow(1 - (B0 + t * (B1 - B0)) / (2 * N), 2);
            default -> 1.0;
        };
    }

    static Sde sde(String name) {
        return switch (name) {
            case "vp" -> new VpSde(B0, B1);
            case "subvp" -> new SubVpSde(B0, B1);
            default -> new VeSde(0.01, 50);
        };
    }

    static ScoreFunction score(Sde sde, AtomicInteger calls) {
        return (x, t) -> {
            calls.incrementAndGet();
            double a = sde.meanScale(t), s = sde.marginalStd(t);
            return x.mul(-1.0 / (a * a * S0 * S0 + s * s));
        };
    }

    static Corrector corrector(CorrectorPlugin plugin, Map<String, ?> params, Sde sde, AtomicInteger calls) {
        return plugin.create(Params.of(plugin, params), new SamplerContext(sde, score(sde, calls), N, 1e-3, true, false, StepHook.NONE));
    }

    /** The reference's step with norms per row, then averaged over the batch unless perRow. */
    static double[][][] expectedLangevin(String sdeName, double t, double snr, int nSteps, long seed, boolean perRow) {
        double v = variance(sdeName, t), alpha = alphaI(sdeName, t);
        Rng rng = new Rng(seed);
        double[][] x = copy(X), mean = copy(X);
        for (int k = 0; k < nSteps; k++) {
            double[][] z = rng.normal(DataType.DOUBLE, X.length, X[0].length).toDoubleMatrix();
            double[] gn = new double[X.length], zn = new double[X.length];
            for (int b = 0; b < X.length; b++) {
                for (int i = 0; i < X[0].length; i++) {
                    gn[b] += x[b][i] * x[b][i] / (v * v);
                    zn[b] += z[b][i] * z[b][i];
                }
                gn[b] = Math.sqrt(gn[b]);
                zn[b] = Math.sqrt(zn[b]);
            }
            double gMean = 0, zMean = 0;
            for (int b = 0; b < X.length; b++) {
                gMean += gn[b] / X.length;
                zMean += zn[b] / X.length;
            }
            for (int b = 0; b < X.length; b++) {
                double ratio = perRow ? zn[b] / gn[b] : zMean / gMean;
                double step = 2 * alpha * snr * snr * ratio * ratio;
                for (int i = 0; i < X[0].length; i++) {
                    mean[b][i] = x[b][i] + step * (-x[b][i] / v);
                    x[b][i] = mean[b][i] + Math.sqrt(2 * step) * z[b][i];
                }
            }
        }
        return new double[][][] {x, mean};
    }

    static void assertRows(Step s, double[][][] expected) {
        for (int b = 0; b < X.length; b++) {
            for (int i = 0; i < X[0].length; i++) {
                assertThat(s.x().getDouble(b, i)).isCloseTo(expected[0][b][i], offset(1e-12));
                assertThat(s.mean().getDouble(b, i)).isCloseTo(expected[1][b][i], offset(1e-12));
            }
        }
    }

    @Test
    void langevinStepWithBatchNormsOnEachSde() {
        for (String name : new String[] {"vp", "subvp", "ve"}) {
            AtomicInteger calls = new AtomicInteger();
            Step s = corrector(new LangevinPlugin(), Map.of(), sde(name), calls).update(Nd4j.createFromArray(X), 0.4, new Rng(17));
            assertRows(s, expectedLangevin(name, 0.4, 0.16, 1, 17, false));
            assertThat(calls.get()).as(name).isEqualTo(1);
        }
    }

    @Test
    void langevinTakesNStepsWithFreshNoiseAndItsOwnSnr() {
        AtomicInteger calls = new AtomicInteger();
        Map<String, Object> p = Map.of("snr", 0.3, "nSteps", 3);
        Step s = corrector(new LangevinPlugin(), p, sde("vp"), calls).update(Nd4j.createFromArray(X), 0.7, new Rng(2));
        assertRows(s, expectedLangevin("vp", 0.7, 0.3, 3, 2, false));
        assertThat(calls.get()).isEqualTo(3);
        LangevinPlugin plugin = new LangevinPlugin();
        assertThat(plugin.scoreEvaluationsPerStep(Params.of(plugin, p))).isEqualTo(3);
    }

    @Test
    void langevinWithExampleNormsUsesEachRowsOwnNormsAndDoesNotDependOnTheBatch() {
        Map<String, Object> p = Map.of("norms", "example", "nSteps", 2);
        Corrector c = corrector(new LangevinPlugin(), p, sde("ve"), new AtomicInteger());
        // one batch of 4 rows, drawing row i from stream i, as the kernel does
        Step whole = c.update(Nd4j.createFromArray(X), 0.3, Rng.rows(5, 0, 4));
        for (int b = 0; b < X.length; b++) {
            double[][][] alone = expectedAlone(0.3, 2, b);
            for (int i = 0; i < X[0].length; i++) assertThat(whole.x().getDouble(b, i)).isCloseTo(alone[0][0][i], offset(1e-12));
        }
        // the same rows in batches of 1 and 3 give the same numbers
        INDArray all = Nd4j.createFromArray(X);
        Step first = c.update(all.get(NDArrayIndex.interval(0, 1)).dup(), 0.3, Rng.rows(5, 0, 1));
        Step rest = c.update(all.get(NDArrayIndex.interval(1, 4)).dup(), 0.3, Rng.rows(5, 1, 3));
        assertThat(Nd4j.concat(0, first.x(), rest.x())).isEqualTo(whole.x());
    }

    /** Row b alone on VE under per-row norms (snr 0.16), with the noise of example b's own stream. */
    private static double[][][] expectedAlone(double t, int nSteps, int b) {
        Rng row = Rng.rows(5, b, 1);
        double v = variance("ve", t);
        double[] x = X[b].clone(), mean = X[b].clone();
        for (int k = 0; k < nSteps; k++) {
            double[] z = row.normal(DataType.DOUBLE, 1, X[0].length).toDoubleVector();
            double gn = 0, zn = 0;
            for (int i = 0; i < x.length; i++) {
                gn += x[i] * x[i] / (v * v);
                zn += z[i] * z[i];
            }
            double step = 2 * 0.16 * 0.16 * zn / gn;
            for (int i = 0; i < x.length; i++) {
                mean[i] = x[i] - step * x[i] / v;
                x[i] = mean[i] + Math.sqrt(2 * step) * z[i];
            }
        }
        return new double[][][] {{x}, {mean}};
    }

    @Test
    void aRowWithZeroScoreIsLeftWhereItIs() {
        double[][] x = {{0, 0, 0}, {1, 2, 3}};
        Corrector c = corrector(new LangevinPlugin(), Map.of("norms", "example"), sde("vp"), new AtomicInteger());
        Step s = c.update(Nd4j.createFromArray(x), 0.5, new Rng(1));
        for (int i = 0; i < 3; i++) assertThat(s.x().getDouble(0, i)).isEqualTo(0.0);
        assertThat(s.x().getRow(1).toDoubleVector()).doesNotContain(Double.NaN);
    }

    /** ALD: step = 2 alpha_i (snr sigma(t))^2, the same for every row; x_mean = x + step s, x = x_mean + sqrt(2 step) z. */
    @Test
    void aldStepOnEachSde() {
        for (String name : new String[] {"vp", "subvp", "ve"}) {
            double t = 0.35, snr = 0.2;
            double sigma = switch (name) {
                case "vp" -> Math.sqrt(1 - vpAlpha(t) * vpAlpha(t));
                case "subvp" -> 1 - vpAlpha(t) * vpAlpha(t);
                default -> 0.01 * Math.pow(5000, t);
            };
            double step = 2 * alphaI(name, t) * snr * snr * sigma * sigma, v = variance(name, t);
            AtomicInteger calls = new AtomicInteger();
            Step s = corrector(new AnnealedLangevinPlugin(), Map.of("snr", snr, "nSteps", 2), sde(name), calls)
                    .update(Nd4j.createFromArray(X), t, new Rng(23));
            Rng rng = new Rng(23);
            double[][] x = copy(X), mean = copy(X);
            for (int k = 0; k < 2; k++) {
                double[][] z = rng.normal(DataType.DOUBLE, X.length, X[0].length).toDoubleMatrix();
                for (int b = 0; b < X.length; b++) {
                    for (int i = 0; i < X[0].length; i++) {
                        mean[b][i] = x[b][i] - step * x[b][i] / v;
                        x[b][i] = mean[b][i] + Math.sqrt(2 * step) * z[b][i];
                    }
                }
            }
            assertRows(s, new double[][][] {x, mean});
            assertThat(calls.get()).as(name).isEqualTo(2);
        }
    }

    @Test
    void parametersAreTypedAndChecked() {
        for (CorrectorPlugin p : new CorrectorPlugin[] {new LangevinPlugin(), new AnnealedLangevinPlugin()}) {
            Params defaults = Params.of(p, Map.of());
            assertThat(defaults.real("snr")).isEqualTo(0.16);
            assertThat(defaults.integer("nSteps")).isEqualTo(1);
            assertThat(p.scoreEvaluationsPerStep(defaults)).isEqualTo(1);
            assertThatThrownBy(() -> Params.of(p, Map.of("snr", 0))).isInstanceOf(ParamException.class);
            assertThatThrownBy(() -> Params.of(p, Map.of("nSteps", 0))).isInstanceOf(ParamException.class);
            assertThatThrownBy(() -> Params.of(p, Map.of("nSteps", 1.5))).isInstanceOf(ParamException.class);
            assertThat(p.unsupported(new SubVpSde(B0, B1), defaults)).isNull();
        }
        LangevinPlugin l = new LangevinPlugin();
        assertThat(Params.of(l, Map.of()).string("norms")).isEqualTo("batch");
        assertThatThrownBy(() -> Params.of(l, Map.of("norms", "row"))).isInstanceOf(ParamException.class);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
