package org.sdex.plugins.solvers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.ReverseSde;
import org.sdex.spi.sde.Sde;
import org.sdex.testing.SampleStats;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * The solvers with the {@code exact} score on the 3-component mixture of the samplers' acceptance
 * test, against 1000-step Euler-Maruyama (the PC sampler's reference setting) and against the
 * statistical floor of the sample size. Two measures of closeness to the mixture, at 10,000 samples:
 * <ul>
 *   <li>the 18 statistics of the samplers' test (mode weights, each component's mean and covariance)
 *       against the mixture's parameters, in floors: the standard error of each statistic, measured as
 *       the RMS difference within pairs of independent exact samples over sqrt 2;</li>
 *   <li>the sliced Wasserstein distance ({@link SampleStats#slicedWasserstein}) to a fixed independent
 *       exact reference sample; its floor is the mean and spread of the same distance for exact samples,
 *       measured on the same pairs.</li>
 * </ul>
 *
 * <p>Margins. A statistic is within the floor at {@link #MARGIN} = 5 floors (18 statistics of a correct
 * sampler all pass by chance with probability 1 - 1e-5; see the samplers' test for the argument,
 * including the floor's own 11% estimation error). A distance is within the floor at its exact-sample
 * mean plus 5 of its standard deviations. "At least as close as Euler-Maruyama" allows for the noise
 * of the comparison itself: 3 standard deviations of the difference of two exact samples' distances.
 *
 * <p>What was measured while writing this test, and what it means for the assertions: 1000-step
 * Euler-Maruyama is within 2 floors on every statistic. The fast solvers at their budgets (DPM-Solver++
 * 20 steps, EDM 35 evaluations, DDIM 50 steps) are within the floor in sliced Wasserstein, but on the
 * 18 statistics their discretisation error is visible at this sample size: 1.6-3.6 floors beyond the
 * converged result for DPM-Solver++(3M) at 20 steps (it was 6-10 for 2M on the logSNR grid, the wider
 * components about 11% too wide), up to 6.7 for DDIM at 50 steps and 12 for EDM with churn. This is
 * discretisation error, not a defect: the probability-flow ODE solved to convergence from the same
 * prior points lands within the floor, and the error shrinks with the steps at the solvers' order
 * ({@link ProbabilityFlowOrderTest}). So each
 * deterministic solver is checked in two parts: the converged ODE solution (DPM-Solver++ at 200 steps,
 * whose own discretisation error is about 0.1 floor) must be within {@link #MARGIN} floors, and the
 * difference between the solver at its budget and that solution on each statistic (the discretisation
 * error, free of sampling noise because both map the same prior points) must stay within
 * {@link #DISCRETISATION_ALLOWANCE} floors. A score 10% off puts DPM-Solver++ 70 floors off.
 */
class MixtureQualityTest {
    static final int SAMPLES = 10_000;
    static final int FLOOR_PAIRS = 40;
    static final int PROJECTIONS = 32;
    static final double EPS = 1e-3;
    static final double MARGIN = 5.0;
    /** Discretisation error allowed at the fast budgets, in floors (measured at most 6.7, DDIM at 50 steps on ve). */
    static final double DISCRETISATION_ALLOWANCE = 10.0;
    static final double COMPARISON_SDS = 3.0;
    /** Independent runs per sampler in the comparison with Euler-Maruyama. */
    static final int SEEDS = 6;
    /** Mean RMS error on the 18 statistics allowed to DPM-Solver++ at 20 steps, in floors (measured 1.05-1.71). */
    static final double DPM_RMS_LIMIT = 2.0;
    /** DPM-Solver++ steps taken as the exact ODE solution (its error at 20 steps is 1.6-3.6 floors; at 200 about 0.1). */
    static final int CONVERGED_STEPS = 200;

    static final Dataset DATA = gmm();
    static final GaussianMixture MIXTURE = DATA.mixture().map(GaussianMixture::new).orElseThrow();
    static double[] floor;
    static INDArray reference;
    static double swMean, swSd, swDifferenceSd;
    static final Map<String, Measured> RUNS = new ConcurrentHashMap<>();

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
    static void measureTheFloors() {
        reference = DATA.sample(SAMPLES, new Rng(999));
        double[] sq = new double[18];
        double[] sw = new double[2 * FLOOR_PAIRS];
        double[] diff = new double[FLOOR_PAIRS];
        for (int p = 0; p < FLOOR_PAIRS; p++) {
            INDArray a = DATA.sample(SAMPLES, new Rng(1000 + p));
            INDArray b = DATA.sample(SAMPLES, new Rng(2000 + p));
            double[] sa = statistics(a), sb = statistics(b);
            for (int j = 0; j < 18; j++) sq[j] += (sa[j] - sb[j]) * (sa[j] - sb[j]);
            sw[2 * p] = distance(a);
            sw[2 * p + 1] = distance(b);
            diff[p] = sw[2 * p] - sw[2 * p + 1];
        }
        floor = new double[18];
        for (int j = 0; j < 18; j++) floor[j] = Math.sqrt(sq[j] / (2.0 * FLOOR_PAIRS));
        swMean = Arrays.stream(sw).average().orElseThrow();
        swSd = sd(sw);
        swDifferenceSd = sd(diff);
        System.out.printf("floors: sliced Wasserstein of exact samples %.4f +- %.4f (limit %.4f), difference sd %.4f; statistics %s%n",
                swMean, swSd, swLimit(), swDifferenceSd, Arrays.toString(floor));
    }

    /** Positive control: an exact sample passes, and the floors are the standard errors they claim to be. */
    @Test
    void anExactSamplePassesTheChecks() {
        Measured m = measure(DATA.sample(SAMPLES, new Rng(77)));
        assertThat(m.worst()).as(m.toString()).isLessThanOrEqualTo(MARGIN);
        assertThat(m.distance()).as(m.toString()).isLessThanOrEqualTo(swLimit());
        for (int k = 0; k < 3; k++) {
            double w = MIXTURE.weights()[k], se = Math.sqrt(w * (1 - w) / SAMPLES);
            assertThat(floor[k]).isBetween(0.75 * se, 1.25 * se);
        }
    }

    /**
     * DPM-Solver++ with its defaults (3M, {@code auto} grid) at 20 steps against 1000-step Euler-Maruyama,
     * on every SDE, over {@link #SEEDS} independent runs of each: a single run's distance is dominated by
     * sampling noise (its standard deviation is a third of its mean), so the means are compared. The mean
     * sliced Wasserstein distance of DPM-Solver++ must be at most Euler-Maruyama's plus
     * {@link #COMPARISON_SDS} standard deviations of the difference of the two means, and its mean RMS
     * error on the 18 statistics at most {@link #DPM_RMS_LIMIT} floors (Euler-Maruyama's is 1, an exact
     * sample's). Measured with 12 seeds while choosing the defaults: mean distance 0.0379 / 0.0362 /
     * 0.0467 against Euler-Maruyama's 0.0432 / 0.0440 / 0.0449 (subvp / vp / ve; exact samples 0.0462),
     * RMS 1.64 / 1.05 / 1.71 floors against 0.99 / 0.97 / 1.05; 2M on its former logSNR grid: distance
     * 0.0683 on subvp, RMS 5.35 / 2.52 / 2.13, which is why 3M and the quadratic grid on VP-type SDEs are
     * the defaults.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vp", "subvp", "ve"})
    void dpmSolverPpWith20StepsIsAsCloseAsEulerMaruyamaWith1000(String sdeName) {
        Sde sde = Fixtures.sde(sdeName);
        double emDistance = 0, dpmDistance = 0, emRms = 0, dpmRms = 0;
        for (int k = 0; k < SEEDS; k++) {
            Measured em = measure(eulerMaruyama(sde, 1000, 100 + k));
            Rng rng = Rng.rows(200 + k, 0, SAMPLES);
            INDArray xT = sde.priorSample(rng, DataType.DOUBLE, SAMPLES, 2);
            Measured dpm = measure(Fixtures.run("dpm_solver_pp", Map.of(), sde, exactScore(sde), 20, EPS, true, xT, rng));
            emDistance += em.distance() / SEEDS;
            dpmDistance += dpm.distance() / SEEDS;
            emRms += em.rms() / SEEDS;
            dpmRms += dpm.rms() / SEEDS;
        }
        System.out.printf("%s over %d seeds: dpm_solver_pp 20: sliced Wasserstein %.4f, RMS %.2f floors;"
                + " euler_maruyama 1000: %.4f, RMS %.2f floors%n", sdeName, SEEDS, dpmDistance, dpmRms, emDistance, emRms);
        assertThat(emRms).as("euler_maruyama RMS error in floors").isLessThanOrEqualTo(1.5);
        assertThat(dpmDistance).as("mean sliced Wasserstein, dpm_solver_pp 20 vs euler_maruyama 1000")
                .isLessThanOrEqualTo(emDistance + COMPARISON_SDS * swDifferenceSd / Math.sqrt(SEEDS));
        assertThat(dpmRms).as("dpm_solver_pp mean RMS error in floors").isLessThanOrEqualTo(DPM_RMS_LIMIT);
    }

    /** The probability-flow ODE solved to convergence from the prior points of {@link #solve}: the mixture. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vp", "subvp", "ve"})
    void theConvergedOdeSolutionIsWithinTheFloor(String sdeName) {
        Measured m = converged(sdeName);
        System.out.printf("converged ODE (dpm_solver_pp %d) on %s: %s%n", CONVERGED_STEPS, sdeName, m);
        assertThat(m.worst()).as(m.toString()).isLessThanOrEqualTo(MARGIN);
        assertThat(m.distance()).as(m.toString()).isLessThanOrEqualTo(swLimit());
    }

    static Stream<Arguments> budgets() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String sde : new String[] {"vp", "subvp", "ve"}) {
            b.add(Arguments.of("dpm_solver_pp", 20, sde));
            b.add(Arguments.of("edm_heun", 18, sde)); // 35 evaluations
            b.add(Arguments.of("ddim", 50, sde));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} steps on {2}")
    @MethodSource("budgets")
    void deterministicSolversAtTheirBudget(String solver, int steps, String sdeName) {
        Measured m = run(solver, Map.of(), sdeName, steps);
        Measured c = converged(sdeName);
        double discretisation = 0;
        for (int j = 0; j < 18; j++) discretisation = Math.max(discretisation, Math.abs(m.stats()[j] - c.stats()[j]) / floor[j]);
        System.out.printf("%s %d on %s: %s; discretisation error %.2f floors%n", solver, steps, sdeName, m, discretisation);
        assertThat(m.distance()).as("sliced Wasserstein: %s", m).isLessThanOrEqualTo(swLimit());
        assertThat(discretisation).as("discretisation error at %d steps: %s", steps, m).isLessThanOrEqualTo(DISCRETISATION_ALLOWANCE);
    }

    /**
     * EDM with churn (gamma = sqrt 2 - 1, the most Alg. 2 allows, wherever sigma/alpha is in [0.05, 50],
     * EDM's ImageNet range): within the floor at 80 steps (159 evaluations), and at 35 evaluations within
     * the floor in sliced Wasserstein and within the floor plus the discretisation allowance on the
     * statistics (there is no noise-free converged run to subtract: the churn noise differs with the
     * steps). Measured: 2.9 floors at 80 steps; 12 (vp) and 8 (ve) at 35 evaluations.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vp", "ve"})
    void stochasticEdmHeun(String sdeName) {
        Map<String, Object> churn = Map.of("sChurn", 40.0, "sTmin", 0.05, "sTmax", 50.0);
        Measured m = run("edm_heun", churn, sdeName, 18);
        Measured many = run("edm_heun", churn, sdeName, 80);
        System.out.printf("edm_heun with churn, 18 steps on %s: %s; 80 steps: %s%n", sdeName, m, many);
        assertThat(many.worst()).as("80 steps: %s", many).isLessThanOrEqualTo(MARGIN);
        assertThat(many.distance()).as("80 steps: %s", many).isLessThanOrEqualTo(swLimit());
        assertThat(m.distance()).as(m.toString()).isLessThanOrEqualTo(swLimit());
        assertThat(m.worst()).as(m.toString()).isLessThanOrEqualTo(MARGIN + DISCRETISATION_ALLOWANCE);
    }

    /** Negative control: the checks see a score 10% off. */
    @Test
    void aWrongScoreFailsTheChecks() {
        Sde sde = Fixtures.sde("vp");
        ScoreFunction exact = exactScore(sde);
        Measured m = measure(solve("dpm_solver_pp", Map.of(), sde, (y, t) -> exact.score(y, t).muli(0.9), 20));
        System.out.printf("dpm_solver_pp 20 with score x 0.9: %s%n", m);
        assertThat(m.worst()).isGreaterThan(MARGIN + DISCRETISATION_ALLOWANCE);
        assertThat(m.distance()).isGreaterThan(swLimit());
    }

    // ---- samplers

    static ScoreFunction exactScore(Sde sde) {
        ExactModelPlugin exact = new ExactModelPlugin();
        AnalyticModel model = (AnalyticModel) exact.create(Params.of(exact, Map.of()),
                new ModelContext(sde, DATA, DATA.shape(), DataType.DOUBLE, new Rng(0)));
        return model.score();
    }

    /** A solver with denoising from prior draws of seed 7 (the same points for every solver and step count). */
    static INDArray solve(String solver, Map<String, ?> params, Sde sde, ScoreFunction score, int steps) {
        Rng rng = Rng.rows(7, 0, SAMPLES);
        INDArray xT = sde.priorSample(rng, DataType.DOUBLE, SAMPLES, 2);
        return Fixtures.run(solver, params, sde, score, steps, EPS, true, xT, rng);
    }

    /** A solver's samples on an SDE, measured (cached: several tests look at the same runs). */
    static Measured run(String solver, Map<String, ?> params, String sdeName, int steps) {
        return RUNS.computeIfAbsent(solver + params + sdeName + steps, k -> {
            Sde sde = Fixtures.sde(sdeName);
            return measure(solve(solver, params, sde, exactScore(sde), steps));
        });
    }

    static Measured converged(String sdeName) { return run("dpm_solver_pp", Map.of(), sdeName, CONVERGED_STEPS); }

    /**
     * The PC sampler's Euler-Maruyama loop, inline: t_i = linspace(T, eps, N), dt = -T/N,
     * x' = x + drift dt + g sqrt(-dt) z, and the last step's noise-free mean as the sample.
     */
    static INDArray eulerMaruyama(Sde sde, int steps, long seed) {
        ReverseSde reverse = new ReverseSde(sde, exactScore(sde), false);
        Rng rng = new Rng(seed);
        double T = sde.T(), dt = -T / steps;
        INDArray x = sde.priorSample(rng, DataType.DOUBLE, SAMPLES, 2);
        INDArray mean = x;
        for (int i = 0; i < steps; i++) {
            double t = T + (EPS - T) * i / (steps - 1);
            mean = reverse.drift(x, t).muli(dt).addi(x);
            x = rng.normal(DataType.DOUBLE, SAMPLES, 2).muli(reverse.diffusion(t) * Math.sqrt(-dt)).addi(mean);
        }
        return mean;
    }

    // ---- statistics

    static double distance(INDArray x) { return SampleStats.slicedWasserstein(x, reference, PROJECTIONS, 5); }

    static double swLimit() { return swMean + MARGIN * swSd; }

    static Measured measure(INDArray x) { return new Measured(statistics(x), distance(x)); }

    /** A sample's 18 statistics and its sliced Wasserstein distance to the reference sample. */
    record Measured(double[] stats, double distance) {
        /** The root mean square error of the 18 statistics, in floors (about 1 for an exact sample). */
        double rms() {
            double[] truth = truth();
            double r = 0;
            for (int j = 0; j < 18; j++) r += Math.pow((stats[j] - truth[j]) / floor[j], 2) / 18;
            return Math.sqrt(r);
        }

        /** The largest error of the 18 statistics, in floors. */
        double worst() {
            double[] truth = truth();
            double w = 0;
            for (int j = 0; j < 18; j++) w = Math.max(w, Math.abs(stats[j] - truth[j]) / floor[j]);
            return w;
        }

        @Override
        public String toString() {
            double[] truth = truth();
            StringBuilder errors = new StringBuilder();
            for (int j = 0; j < 18; j++) errors.append(String.format(" %.1f", (stats[j] - truth[j]) / floor[j]));
            return String.format("sliced Wasserstein %.4f, worst statistic %.2f floors, RMS %.2f floors, errors in floors [%s ]",
                    distance, worst(), rms(), errors);
        }
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

    static double sd(double[] v) {
        double m = Arrays.stream(v).average().orElseThrow(), q = 0;
        for (double d : v) q += (d - m) * (d - m);
        return Math.sqrt(q / (v.length - 1));
    }
}
