package org.sdex.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.plugins.samplers.corrector.NoneCorrectorPlugin;
import org.sdex.plugins.samplers.predictor.EulerMaruyamaPlugin;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.oracle.GaussianMixture;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.testing.SampleStats;

/**
 * Euler-Maruyama in the PC loop, driven by the exact score of a Gaussian mixture, must reproduce
 * the mixture. The tolerance is not a guess: it is measured as the spread of the same statistics
 * between independent exact samples of the same size (the floor any perfect sampler shows).
 */
class PcSamplerTest {
    static final GaussianMixture MIXTURE = new GaussianMixture(
            new double[] {0.5, 0.3, 0.2},
            new double[][] {{-2, 0}, {2, 1}, {0, -2.5}},
            new double[][][] {{{0.3, 0.1}, {0.1, 0.2}}, {{0.2, 0}, {0, 0.5}}, {{0.4, -0.15}, {-0.15, 0.2}}});
    static final int N = 3000;

    static Stream<Arguments> sdes() {
        return Stream.of(Arguments.of("vp", new VpSde(0.1, 20)), Arguments.of("subvp", new SubVpSde(0.1, 20)),
                Arguments.of("ve", new VeSde(0.01, 50)));
    }

    /** Largest discrepancy between two point sets: mode weights, component means, component covariances. */
    static double[] discrepancy(INDArray a, INDArray b) {
        double[] wa = SampleStats.modeWeights(MIXTURE, a), wb = SampleStats.modeWeights(MIXTURE, b);
        double weight = 0, mean = 0, cov = 0;
        for (int k = 0; k < MIXTURE.components(); k++) {
            weight = Math.max(weight, Math.abs(wa[k] - wb[k]));
            double[][] ra = SampleStats.componentRows(MIXTURE, a, k), rb = SampleStats.componentRows(MIXTURE, b, k);
            double[] ma = SampleStats.mean(ra), mb = SampleStats.mean(rb);
            double[][] ca = SampleStats.covariance(ra), cb = SampleStats.covariance(rb);
            for (int i = 0; i < 2; i++) {
                mean = Math.max(mean, Math.abs(ma[i] - mb[i]));
                for (int j = 0; j < 2; j++) cov = Math.max(cov, Math.abs(ca[i][j] - cb[i][j]));
            }
        }
        return new double[] {weight, mean, cov, SampleStats.slicedWasserstein(a, b, 50, 1)};
    }

    /** The floor: mean discrepancy over pairs of independent exact samples of size N. */
    static double[] floor() {
        double[] sum = new double[4];
        int pairs = 6;
        for (int p = 0; p < pairs; p++) {
            double[] d = discrepancy(MIXTURE.sample(N, new Rng(100 + p), DataType.DOUBLE),
                    MIXTURE.sample(N, new Rng(200 + p), DataType.DOUBLE));
            for (int i = 0; i < 4; i++) sum[i] += d[i] / pairs;
        }
        return sum;
    }

    /**
     * Each statistic is a maximum of a few roughly half-normal differences; 4x their mean sits past
     * the 99.9th percentile of that maximum, so a correct sampler fails with negligible probability
     * while a wrong score (see the negative control) is far outside.
     */
    static final double MARGIN = 4.0;

    static PcSampler.Result sample(Sde sde, ScoreFunction score, int n, int batch, int seed) {
        SampleSettings s = new SampleSettings(1000, n, batch, 1e-3, true, false, false, seed);
        EulerMaruyamaPlugin em = new EulerMaruyamaPlugin();
        NoneCorrectorPlugin none = new NoneCorrectorPlugin();
        return new PcSampler(sde, score, em, Params.of(em, Map.of()), none, Params.of(none, Map.of()), s)
                .sample(new long[] {2}, DataType.DOUBLE, null);
    }

    static ScoreFunction exact(Sde sde) { return (x, t) -> MIXTURE.at(sde, t).score(x); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void eulerMaruyamaWithTheExactScoreReproducesTheMixture(String name, Sde sde) {
        double[] floor = floor();
        PcSampler.Result r = sample(sde, exact(sde), N, 0, 5);
        assertThat(r.nfe()).isEqualTo(1000);
        double[] d = discrepancy(r.samples(), MIXTURE.sample(N, new Rng(300), DataType.DOUBLE));
        String[] what = {"mode weights", "component means", "component covariances", "sliced Wasserstein"};
        for (int i = 0; i < 4; i++) {
            assertThat(d[i]).as("%s: %s (floor %.4f)", name, what[i], floor[i]).isLessThan(MARGIN * floor[i]);
        }
    }

    @Test
    void aWrongScoreFailsTheSameCheck() {
        Sde sde = new VpSde(0.1, 20);
        ScoreFunction exact = exact(sde);
        double[] floor = floor();
        double[] d = discrepancy(sample(sde, (x, t) -> exact.score(x, t).muli(0.5), N, 0, 5).samples(),
                MIXTURE.sample(N, new Rng(300), DataType.DOUBLE));
        // half the score leaves too much noise: covariances and the overall distance blow past the margin
        assertThat(d[2]).isGreaterThan(MARGIN * floor[2]);
        assertThat(d[3]).isGreaterThan(MARGIN * floor[3]);
    }

    @Test
    void theSameSeedGivesTheSameSamplesForAnyBatchSize() {
        Sde sde = new VeSde(0.01, 50);
        INDArray whole = sample(sde, exact(sde), 48, 0, 9).samples();
        INDArray batched = sample(sde, exact(sde), 48, 20, 9).samples();
        assertThat(batched).isEqualTo(whole);
        assertThat(sample(sde, exact(sde), 48, 0, 10).samples()).isNotEqualTo(whole);
    }
}
