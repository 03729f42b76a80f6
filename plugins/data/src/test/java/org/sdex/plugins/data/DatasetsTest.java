package org.sdex.plugins.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.random.Rng;
import org.sdex.testing.SampleStats;
import org.sdex.toolkit.oracle.GaussianMixture;

class DatasetsTest {
    private static final DataContext CTX = new DataContext(Path.of("."), DataType.DOUBLE, "train");

    private static Dataset open(DatasetPlugin plugin, Map<String, ?> params) {
        return plugin.open(Params.of(plugin, params), CTX);
    }

    @Test
    void toysAreDeterministicForASeed() {
        for (DatasetPlugin p : List.of(new CheckerboardPlugin(), new SwissRollPlugin(), new MoonsPlugin(), new RingsPlugin())) {
            Dataset d = open(p, Map.of());
            assertThat(d.shape()).containsExactly(2);
            INDArray a = d.sample(500, new Rng(5));
            INDArray b = d.sample(500, new Rng(5));
            assertThat(a).as(p.name()).isEqualTo(b);
            assertThat(d.sample(500, new Rng(6))).as(p.name()).isNotEqualTo(a);
        }
    }

    @Test
    void aMixturesLabelIsTheComponentOfTheDraw() {
        Dataset d = open(new GaussianMixturePlugin(), Map.of("means", List.of(List.of(-6.0, 0.0), List.of(6.0, 0.0), List.of(0.0, 6.0)),
                "weights", List.of(0.5, 0.3, 0.2), "std", List.of(0.5)));
        assertThat(d.classes()).isEqualTo(3);
        org.sdex.spi.data.LabelledDraw draw = d.sampleLabelled(3000, new Rng(4));
        assertThat(draw.examples()).isEqualTo(d.sample(3000, new Rng(4)));
        int[] count = new int[3];
        for (int i = 0; i < 3000; i++) {
            int k = draw.labels()[i];
            count[k]++;
            // components 12 std apart: each point is nearest its own mean
            double x = draw.examples().getDouble(i, 0), y = draw.examples().getDouble(i, 1);
            double[][] means = {{-6, 0}, {6, 0}, {0, 6}};
            for (int j = 0; j < 3; j++) {
                double own = Math.hypot(x - means[k][0], y - means[k][1]);
                assertThat(own).as("draw %d of component %d", i, k).isLessThanOrEqualTo(Math.hypot(x - means[j][0], y - means[j][1]));
            }
        }
        // multinomial(3000, weights): s.d. at most 0.0092
        assertThat(count[0] / 3000.0).isCloseTo(0.5, offset(0.04));
        assertThat(count[1] / 3000.0).isCloseTo(0.3, offset(0.04));
        assertThat(count[2] / 3000.0).isCloseTo(0.2, offset(0.04));
        assertThat(open(new CheckerboardPlugin(), Map.of()).classes()).isZero();
    }

    @Test
    void allAreRegistered() {
        assertThat(java.util.ServiceLoader.load(DatasetPlugin.class).stream().map(p -> p.get().name()))
                .containsExactly("checkerboard", "swiss_roll", "moons", "rings", "gmm",
                        "idx", "mnist", "fashion", "cifar10", "image_folder");
    }

    @Test
    void samplesComeInTheContextsDtypeAndNameTheirPlugin() {
        DataContext single = new DataContext(Path.of("."), DataType.FLOAT, "train");
        for (DatasetPlugin p : List.of(new CheckerboardPlugin(), new SwissRollPlugin(), new MoonsPlugin(), new RingsPlugin(),
                new GaussianMixturePlugin())) {
            Dataset d = p.open(Params.of(p, Map.of()), single);
            INDArray x = d.sample(7, new Rng(1));
            assertThat(x.dataType()).as(p.name()).isEqualTo(DataType.FLOAT);
            assertThat(x.shape()).as(p.name()).containsExactly(7, 2);
            assertThat(d.toString()).isEqualTo("'" + p.name() + "'");
        }
    }

    @Test
    void checkerboardFillsOnlyTheDarkSquaresEvenly() {
        double[][] x = SampleStats.rows(open(new CheckerboardPlugin(), Map.of()).sample(16000, new Rng(1)));
        int[] counts = new int[16];
        for (double[] p : x) {
            assertThat(p[0]).isBetween(-4.0, 4.0);
            assertThat(p[1]).isBetween(-4.0, 4.0);
            int c = (int) Math.floor((p[0] + 4) / 2), r = (int) Math.floor((p[1] + 4) / 2);
            assertThat((r + c) % 2).as("point %s,%s on a light square", p[0], p[1]).isZero();
            counts[4 * r + c]++;
        }
        for (int s = 0; s < 16; s++) {
            if (((s / 4) + (s % 4)) % 2 == 0) assertThat(counts[s]).isBetween(2000 - 200, 2000 + 200);
        }
    }

    @Test
    void checkerboardMeasuresTheShareOfPointsOnItsDarkSquares() {
        Dataset board = open(new CheckerboardPlugin(), Map.of());
        assertThat(board.fractionInSupport(board.sample(5000, new Rng(3)))).hasValue(1.0);
        // the centres of the 16 squares: 8 dark, 8 light; and points off the board
        double[][] centres = new double[18][];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) centres[4 * r + c] = new double[] {-3 + 2 * c, -3 + 2 * r};
        centres[16] = new double[] {4.5, -3};
        centres[17] = new double[] {-3, -4.5};
        assertThat(board.fractionInSupport(Nd4j.create(centres))).hasValue(8.0 / 18);
        // lower-left square (row 0, column 0) is dark, its right neighbour light
        assertThat(CheckerboardPlugin.isDark(-3.5, -3.5)).isTrue();
        assertThat(CheckerboardPlugin.isDark(-1.5, -3.5)).isFalse();
        // a scaled board scales its squares
        Dataset big = open(new CheckerboardPlugin(), Map.of("scale", 2.0));
        assertThat(big.fractionInSupport(Nd4j.create(new double[][] {{-7, -7}, {-3, -7}}))).hasValue(0.5);
        // distributions without a known support say nothing
        assertThat(open(new RingsPlugin(), Map.of()).fractionInSupport(Nd4j.create(centres))).isEmpty();
    }

    @Test
    void ringsLieOnTheirCircles() {
        double[][] x = SampleStats.rows(open(new RingsPlugin(), Map.of("count", 2, "noise", 0.0)).sample(3000, new Rng(2)));
        int outer = 0;
        for (double[] p : x) {
            double r = Math.hypot(p[0], p[1]);
            assertThat(Math.min(Math.abs(r - 2), Math.abs(r - 4))).isLessThan(1e-9);
            if (r > 3) outer++;
        }
        // twice the length, twice the points
        assertThat(outer / 3000.0).isCloseTo(2.0 / 3, offset(0.03));
    }

    @Test
    void moonsAreTwoHalfCirclesInTheirDocumentedRange() {
        double[][] x = SampleStats.rows(open(new MoonsPlugin(), Map.of("noise", 0.0)).sample(4000, new Rng(3)));
        int upper = 0;
        for (double[] p : x) {
            assertThat(p[0]).isBetween(-3.0, 3.0);
            assertThat(p[1]).isBetween(-1.5, 1.5);
            // undo the documented map (u, v) = (2x - 1, 2y - 1/2)
            double u = (p[0] + 1) / 2, v = (p[1] + 0.5) / 2;
            boolean onUpper = Math.abs(Math.hypot(u, v) - 1) < 1e-9 && v >= -1e-12;
            boolean onLower = Math.abs(Math.hypot(u - 1, v - 0.5) - 1) < 1e-9 && v <= 0.5 + 1e-12;
            assertThat(onUpper || onLower).as("(%s, %s) on a half circle", p[0], p[1]).isTrue();
            if (onUpper) upper++;
        }
        assertThat(upper / 4000.0).isCloseTo(0.5, offset(0.03));
        // with noise the spread grows by the documented std (times the factor 2 of the map)
        double[][] noisy = SampleStats.rows(open(new MoonsPlugin(), Map.of("noise", 0.1)).sample(4000, new Rng(3)));
        assertThat(SampleStats.covariance(noisy)[0][0]).isCloseTo(SampleStats.covariance(x)[0][0] + 0.04, offset(0.03));
    }

    @Test
    void swissRollIsTheSpiralRadiusEqualsAngle() {
        double[][] x = SampleStats.rows(open(new SwissRollPlugin(), Map.of("noise", 0.0)).sample(2000, new Rng(3)));
        for (double[] p : x) {
            // (t cos t, t sin t) / 5: the radius 5|p| is the angle t itself
            double t = 5 * Math.hypot(p[0], p[1]);
            assertThat(t).isBetween(1.5 * Math.PI - 1e-9, 4.5 * Math.PI + 1e-9);
            assertThat(5 * p[0]).isCloseTo(t * Math.cos(t), offset(1e-9));
            assertThat(5 * p[1]).isCloseTo(t * Math.sin(t), offset(1e-9));
            assertThat(Math.abs(p[0])).isLessThan(2.83);
            assertThat(Math.abs(p[1])).isLessThan(2.83);
        }
    }

    @Test
    void gmmSamplesHaveTheMixtureMoments() {
        Dataset d = open(new GaussianMixturePlugin(), Map.of(
                "weights", List.of(0.2, 0.8),
                "means", List.of(List.of(-1, 0, 2), List.of(1, 1, 0)),
                "covariances", List.of(
                        List.of(List.of(0.5, 0.1, 0), List.of(0.1, 0.3, 0), List.of(0, 0, 0.2)),
                        List.of(List.of(0.2, 0, 0), List.of(0, 0.4, -0.1), List.of(0, -0.1, 0.3)))));
        GaussianMixture gm = d.mixture().map(GaussianMixture::new).orElseThrow();
        // the mixture is the one written down
        assertThat(gm.weights()).containsExactly(0.2, 0.8);
        assertThat(gm.mean(1)).containsExactly(1, 1, 0);
        assertThat(gm.covariance(0)[0][1]).isEqualTo(0.1);
        assertThat(gm.covariance(1)[2][1]).isEqualTo(-0.1);
        int n = 40000;
        double[][] x = SampleStats.rows(d.sample(n, new Rng(9)));
        double[] m = SampleStats.mean(x);
        double[][] c = SampleStats.covariance(x);
        double[] em = gm.mixtureMean();
        double[][] ec = gm.mixtureCovariance();
        for (int i = 0; i < 3; i++) {
            assertThat(m[i]).isCloseTo(em[i], offset(5 * Math.sqrt(ec[i][i] / n)));
            for (int j = 0; j < 3; j++) {
                // std error of a covariance entry ~ sqrt((c_ii c_jj + c_ij^2) / n)
                double se = Math.sqrt((ec[i][i] * ec[j][j] + ec[i][j] * ec[i][j]) / n);
                assertThat(c[i][j]).isCloseTo(ec[i][j], offset(5 * se + 0.01 * Math.abs(ec[i][j])));
            }
        }
    }

    @Test
    void gmmDefaultsAndIsotropicStd() {
        GaussianMixture gm = open(new GaussianMixturePlugin(), Map.of()).mixture().map(GaussianMixture::new).orElseThrow();
        assertThat(gm.components()).isEqualTo(8);
        assertThat(gm.covariance(3)[0][0]).isCloseTo(0.25, offset(1e-12));
        GaussianMixture two = open(new GaussianMixturePlugin(), Map.of("means", List.of(List.of(0), List.of(3)), "std", List.of(1, 2)))
                .mixture().map(GaussianMixture::new).orElseThrow();
        assertThat(two.covariance(1)[0][0]).isCloseTo(4.0, offset(1e-12));
        assertThat(two.weights()).containsExactly(0.5, 0.5);
    }

    @Test
    void badMixturesSayWhatIsWrongInOneLine() {
        GaussianMixturePlugin p = new GaussianMixturePlugin();
        assertThatThrownBy(() -> open(p, Map.of("means", List.of(List.of(0, 0), List.of(1, 1)), "weights", List.of(1))))
                .isInstanceOf(ParamException.class).hasMessage("data 'gmm' has 2 means but 1 weights");
        assertThatThrownBy(() -> open(p, Map.of("means", List.of(List.of(0, 0), List.of(1)))))
                .hasMessage("data 'gmm' means must all have dimension 2; mean 2 has 1");
        assertThatThrownBy(() -> open(p, Map.of("means", List.of(List.of(0)), "covariances", List.of(List.of(List.of(-1))))))
                .hasMessage("data 'gmm' covariance 1 is not positive definite");
        assertThatThrownBy(() -> open(p, Map.of("means", List.of(List.of(0, 0), List.of(1, 1)),
                "covariances", List.of(List.of(List.of(1, 0), List.of(0, 1)), List.of(List.of(1, 0.5), List.of(0, 1))))))
                .hasMessage("data 'gmm' covariance 2 is not symmetric");
        assertThatThrownBy(() -> open(p, Map.of("means", List.of(List.of(0, 0)), "covariances", List.of(List.of(List.of(1))))))
                .hasMessage("data 'gmm' covariance 1 is not 2x2");
        assertThatThrownBy(() -> open(p, Map.of("means", List.of(List.of(0, 0), List.of(1, 1)), "std", List.of(1, 2, 3))))
                .hasMessage("data 'gmm' std needs 1 or 2 values, got 3");
        assertThatThrownBy(() -> open(p, Map.of("weights", "heavy")))
                .hasMessage("data 'gmm' parameter 'weights' must be a list of numbers > 0, got 'heavy'");
    }
}
