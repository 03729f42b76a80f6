package org.sdex.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.plugins.data.GaussianMixturePlugin;
import org.sdex.plugins.models.exact.ExactModelPlugin;
import org.sdex.plugins.samplers.corrector.NoneCorrectorPlugin;
import org.sdex.plugins.samplers.predictor.EulerMaruyamaPlugin;
import org.sdex.plugins.sde.SubVpSdePlugin;
import org.sdex.plugins.sde.VeSdePlugin;
import org.sdex.plugins.sde.VpSdePlugin;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.oracle.GaussianMixture;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;
import org.sdex.testing.SampleStats;

/**
 * Acceptance test of the samplers: Euler-Maruyama (no corrector) in the PC loop, driven by the
 * {@code exact} score, must turn prior draws into the data mixture under vp, subvp and ve, and so
 * must Euler on the probability-flow ODE. What is compared: the mode weights and each component's
 * mean and covariance (18 statistics), against the mixture's parameters.
 *
 * <p>The tolerance is measured, not guessed. The floor of a statistic is its standard error at this
 * sample size, measured from pairs of independent exact samples ({@link GaussianMixture#sample}):
 * the RMS difference within a pair over sqrt 2. A sampler passes when every statistic is within
 * {@link #MARGIN} floors of the truth plus the Euler discretisation bias, which is computed
 * exactly for each component on its own (see {@link #eulerBias}). The negative controls run the
 * same check with a wrong score and must fail it.
 */
class MixtureRecoveryTest {
    static final int STEPS = 1000;
    static final double EPS = 1e-3;
    static final int SAMPLES = 10_000;
    static final int FLOOR_PAIRS = 40;

    /**
     * Each statistic is an average over thousands of points, so its error over the floor is close
     * to standard normal for a correct sampler. 18 statistics at 5 floors fail by chance with
     * probability 18 x 5.7e-7 = 1e-5; the floor is itself estimated from 40 pairs (about 11%
     * relative error), and even a floor 22% too small (two of its standard errors) leaves 3.9
     * floors, 2e-3 for all 18. A score 10% off already lands at about 12 floors, half the score at
     * about 400 (measured while writing this test).
     */
    static final double MARGIN = 5.0;

    static final Dataset DATA = gmm();
    static final GaussianMixture MIXTURE = DATA.mixture().orElseThrow();
    /** Standard error of each statistic at SAMPLES points, measured. */
    static double[] floor;

    static Dataset gmm() {
        GaussianMixturePlugin p = new GaussianMixturePlugin();
        return p.open(Params.of(p, Map.of(
                "weights", List.of(0.5, 0.3, 0.2),
                "means", List.of(List.of(-3, 0), List.of(2.5, 2), List.of(1, -3)),
                "covariances", List.of(
                        List.of(List.of(0.4, 0.15), List.of(0.15, 0.25)),
                        List.of(List.of(0.2, -0.1), List.of(-0.1, 0.5)),
                        List.of(List.of(0.6, 0), List.of(0, 0.15))))),
                new DataContext(Path.of("."), DataType.DOUBLE, "train"));
    }

    @BeforeAll
    static void measureTheFloor() {
        double[] sq = new double[18];
        for (int p = 0; p < FLOOR_PAIRS; p++) {
            double[] a = statistics(DATA.sample(SAMPLES, new Rng(1000 + p)));
            double[] b = statistics(DATA.sample(SAMPLES, new Rng(2000 + p)));
            for (int j = 0; j < 18; j++) sq[j] += (a[j] - b[j]) * (a[j] - b[j]);
        }
        floor = new double[18];
        for (int j = 0; j < 18; j++) floor[j] = Math.sqrt(sq[j] / (2.0 * FLOOR_PAIRS));
    }

    static Stream<Arguments> sdes() {
        return Stream.of(
                Arguments.of("vp", new VpSdePlugin(), false),
                Arguments.of("subvp", new SubVpSdePlugin(), false),
                Arguments.of("ve", new VeSdePlugin(), false),
                Arguments.of("vp", new VpSdePlugin(), true));
    }

    @ParameterizedTest(name = "{0} probabilityFlow={2}")
    @MethodSource("sdes")
    void eulerMaruyamaWithTheExactScoreReproducesTheMixture(String name, SdePlugin plugin, boolean probabilityFlow) {
        Sde sde = plugin.create(Params.of(plugin, Map.of()));
        AtomicInteger evaluations = new AtomicInteger();
        ScoreFunction exact = exactScore(sde);
        INDArray x = sample(sde, (y, t) -> {
            evaluations.incrementAndGet();
            return exact.score(y, t);
        }, probabilityFlow, 1);
        Check c = check(x, eulerBias(sde, probabilityFlow));
        System.out.printf("%s%s: %s%n", plugin.name(), probabilityFlow ? " (ODE)" : "", c);
        assertThat(c.worstRatio()).as("%s: %s", plugin.name(), c).isLessThanOrEqualTo(1.0);
        assertThat(evaluations.get()).isEqualTo(STEPS);
    }

    /** Half the score leaves far too much noise; 90% of it still visibly too much. */
    @ParameterizedTest(name = "score x {0}")
    @ValueSource(doubles = {0.5, 0.9})
    void aWrongScoreFailsTheSameCheck(double factor) {
        SdePlugin plugin = new VpSdePlugin();
        Sde sde = plugin.create(Params.of(plugin, Map.of()));
        ScoreFunction exact = exactScore(sde);
        Check c = check(sample(sde, (y, t) -> exact.score(y, t).muli(factor), false, 1), eulerBias(sde, false));
        System.out.printf("vp with score x %s: %s%n", factor, c);
        assertThat(c.worstRatio()).as(c.toString()).isGreaterThan(1.0);
    }

    /** Positive control: a perfect sampler passes, so the truth and the floors are consistent. */
    @Test
    void anExactSamplePassesTheCheck() {
        Check c = check(DATA.sample(SAMPLES, new Rng(77)), new double[18]);
        System.out.printf("exact sample: %s%n", c);
        assertThat(c.worstRatio()).as(c.toString()).isLessThanOrEqualTo(1.0);
        // and the floors are the standard errors they claim to be: a weight's is sqrt(w (1 - w) / n)
        for (int k = 0; k < 3; k++) {
            double w = MIXTURE.weights()[k];
            assertThat(floor[k]).isBetween(0.75 * Math.sqrt(w * (1 - w) / SAMPLES), 1.25 * Math.sqrt(w * (1 - w) / SAMPLES));
        }
    }

    static ScoreFunction exactScore(Sde sde) {
        ExactModelPlugin exact = new ExactModelPlugin();
        AnalyticModel model = (AnalyticModel) exact.create(Params.of(exact, Map.of()),
                new ModelContext(sde, DATA, DATA.shape(), DataType.DOUBLE, new Rng(0)));
        return model.score();
    }

    /**
     * The PC loop of the reference: t_i = linspace(T, eps, N), dt = -T/N, corrector then predictor,
     * and the last step's noise-free mean as the sample.
     */
    static INDArray sample(Sde sde, ScoreFunction score, boolean probabilityFlow, long seed) {
        SamplerContext ctx = new SamplerContext(sde, score, STEPS, probabilityFlow);
        EulerMaruyamaPlugin em = new EulerMaruyamaPlugin();
        NoneCorrectorPlugin none = new NoneCorrectorPlugin();
        Predictor predictor = em.create(Params.of(em, Map.of()), ctx);
        Corrector corrector = none.create(Params.of(none, Map.of()), ctx);
        Rng rng = new Rng(seed);
        double T = sde.T();
        double dt = -T / STEPS;
        INDArray x = sde.priorSample(rng, DataType.DOUBLE, SAMPLES, 2);
        INDArray mean = x;
        for (int i = 0; i < STEPS; i++) {
            double t = T + (EPS - T) * i / (STEPS - 1);
            Step c = corrector.update(x, t, rng);
            Step p = predictor.update(c.x(), t, dt, rng);
            x = p.x();
            mean = p.mean();
        }
        return mean;
    }

    /** Weights (3), then per component the mean (2) and the covariance entries xx, xy, yy (3). */
    static double[] statistics(INDArray x) {
        double[] s = new double[18];
        double[] w = SampleStats.modeWeights(MIXTURE, x);
        for (int k = 0; k < 3; k++) {
            s[k] = w[k];
            double[][] rows = SampleStats.componentRows(MIXTURE, x, k);
            double[] m = SampleStats.mean(rows);
            double[][] c = SampleStats.covariance(rows);
            s[3 + 2 * k] = m[0];
            s[4 + 2 * k] = m[1];
            s[9 + 3 * k] = c[0][0];
            s[10 + 3 * k] = c[0][1];
            s[11 + 3 * k] = c[1][1];
        }
        return s;
    }

    /**
     * The mixture's own parameters. The components are at least 5 apart with standard deviations of
     * at most 0.78, so assigning points to their most likely component (how the statistics are
     * taken) cuts off a negligible tail: under 0.3 floors for every statistic at this size (measured
     * on 400k exact draws). {@link #anExactSamplePassesTheCheck} guards this.
     */
    static double[] truth() {
        double[] s = new double[18];
        for (int k = 0; k < 3; k++) {
            s[k] = MIXTURE.weights()[k];
            double[] m = MIXTURE.mean(k);
            double[][] c = MIXTURE.covariance(k);
            s[3 + 2 * k] = m[0];
            s[4 + 2 * k] = m[1];
            s[9 + 3 * k] = c[0][0];
            s[10 + 3 * k] = c[0][1];
            s[11 + 3 * k] = c[1][1];
        }
        return s;
    }

    static String label(int j) {
        if (j < 3) return "weight of component " + (j + 1);
        if (j < 9) return "mean[" + (j - 3) % 2 + "] of component " + ((j - 3) / 2 + 1);
        String[] entry = {"xx", "xy", "yy"};
        return "covariance " + entry[(j - 9) % 3] + " of component " + ((j - 9) / 3 + 1);
    }

    /** The statistic furthest outside its tolerance, as error / (MARGIN floors + |bias|). */
    record Check(int worst, double error, double floor, double bias, double worstRatio) {
        @Override
        public String toString() {
            return String.format("worst is the %s: error %.4f = %.2f floors (floor %.4f, bias %.4f), %.2f of the tolerance",
                    label(worst), error, Math.abs(error) / floor, floor, bias, worstRatio);
        }
    }

    static Check check(INDArray x, double[] bias) {
        double[] s = statistics(x);
        double[] truth = truth();
        int worst = 0;
        double worstRatio = -1;
        for (int j = 0; j < 18; j++) {
            double ratio = Math.abs(s[j] - truth[j]) / (MARGIN * floor[j] + Math.abs(bias[j]));
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = j;
            }
        }
        return new Check(worst, s[worst] - truth[worst], floor[worst], bias[worst], worstRatio);
    }

    /**
     * The bias of the discretised sampler, in the same 18 slots, for each component taken alone:
     * with Gaussian data N(mu, S) the exact score is linear, s = -P_t (x - alpha mu) with
     * P_t = (alpha^2 S + sigma^2 I)^-1, so one step x' = (1 - f h) x - w g^2 h P_t (x - alpha mu)
     * + g sqrt(h) z (h = -dt; w = 1, or 1/2 and no noise for the ODE) maps a Gaussian to a Gaussian,
     * and its mean and covariance can be carried exactly from the prior through the same grid. The
     * difference from (mu, S) is the Euler error plus the prior mismatch at T. Mode weights get none
     * (the components' separation is a mixture effect; the floor covers it).
     */
    static double[] eulerBias(Sde sde, boolean probabilityFlow) {
        double[] bias = new double[18];
        double T = sde.T(), h = T / STEPS, w = probabilityFlow ? 0.5 : 1.0;
        for (int k = 0; k < 3; k++) {
            double[] mu = MIXTURE.mean(k);
            double[][] cov = MIXTURE.covariance(k);
            double[] m = {0, 0};
            double p0 = sde.priorStd() * sde.priorStd();
            double[][] c = {{p0, 0}, {0, p0}};
            for (int i = 0; i < STEPS; i++) {
                double t = T + (EPS - T) * i / (STEPS - 1);
                double a = sde.meanScale(t), sigma = sde.marginalStd(t), f = sde.driftCoefficient(t), g = sde.diffusion(t);
                double s00 = a * a * cov[0][0] + sigma * sigma, s01 = a * a * cov[0][1], s11 = a * a * cov[1][1] + sigma * sigma;
                double det = s00 * s11 - s01 * s01;
                double[][] prec = {{s11 / det, -s01 / det}, {-s01 / det, s00 / det}};
                double[][] b = new double[2][2];
                for (int r = 0; r < 2; r++) {
                    for (int q = 0; q < 2; q++) b[r][q] = (r == q ? 1 - f * h : 0) - w * g * g * h * prec[r][q];
                }
                double[] next = new double[2];
                for (int r = 0; r < 2; r++) {
                    next[r] = (1 - f * h) * m[r];
                    for (int q = 0; q < 2; q++) next[r] -= w * g * g * h * prec[r][q] * (m[q] - a * mu[q]);
                }
                // the sample is the last step's mean: no noise on the last step, none at all for the ODE
                double noise = probabilityFlow || i == STEPS - 1 ? 0 : g * g * h;
                double[][] cn = new double[2][2];
                for (int r = 0; r < 2; r++) {
                    for (int q = 0; q < 2; q++) {
                        double v = r == q ? noise : 0;
                        for (int u = 0; u < 2; u++) for (int l = 0; l < 2; l++) v += b[r][u] * c[u][l] * b[q][l];
                        cn[r][q] = v;
                    }
                }
                m = next;
                c = cn;
            }
            bias[3 + 2 * k] = m[0] - mu[0];
            bias[4 + 2 * k] = m[1] - mu[1];
            bias[9 + 3 * k] = c[0][0] - cov[0][0];
            bias[10 + 3 * k] = c[0][1] - cov[0][1];
            bias[11 + 3 * k] = c[1][1] - cov[1][1];
        }
        return bias;
    }
}
