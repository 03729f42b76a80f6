package org.sdex.plugins.models.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.plugins.data.CheckerboardPlugin;
import org.sdex.plugins.data.GaussianMixturePlugin;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.MixtureClassifier;

/** The exact score is the gradient of the exact log-density: checked by central finite differences. */
class ExactScoreTest {
    private static final DataContext CTX = new DataContext(Path.of("."), DataType.DOUBLE, "train");

    static Stream<Arguments> cases() {
        return Stream.of(new VpSde(0.1, 20), new SubVpSde(0.1, 20), new VeSde(0.01, 50))
                .flatMap(sde -> Stream.of(2, 6).map(d -> Arguments.of(sde.getClass().getSimpleName(), sde, d)));
    }

    static Dataset mixture(int d) {
        Rng rng = new Rng(40 + d);
        List<List<Double>> means = new java.util.ArrayList<>();
        List<List<List<Double>>> covs = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
            List<Double> m = new java.util.ArrayList<>();
            for (int i = 0; i < d; i++) m.add(3 * rng.nextGaussian());
            means.add(m);
            // A A^T + 0.1 I: a random, well-conditioned, non-isotropic covariance
            double[][] a = new double[d][d];
            for (double[] row : a) rng.fillGaussian(row, 0, d);
            List<List<Double>> c = new java.util.ArrayList<>();
            for (int i = 0; i < d; i++) {
                List<Double> row = new java.util.ArrayList<>();
                for (int j = 0; j < d; j++) {
                    double s = i == j ? 0.1 : 0;
                    for (int q = 0; q < d; q++) s += 0.3 * a[i][q] * a[j][q];
                    row.add(s);
                }
                c.add(row);
            }
            covs.add(c);
        }
        GaussianMixturePlugin p = new GaussianMixturePlugin();
        return p.open(Params.of(p, Map.of("weights", List.of(0.5, 0.3, 0.2), "means", means, "covariances", covs)), CTX);
    }

    @ParameterizedTest(name = "{0} d={2}")
    @MethodSource("cases")
    void scoreIsTheGradientOfTheLogDensity(String name, Sde sde, int d) {
        Dataset data = mixture(d);
        AnalyticModel model = (AnalyticModel) new ExactModelPlugin().create(Params.of(new ExactModelPlugin(), Map.of()),
                new ModelContext(sde, data, data.shape(), DataType.DOUBLE, new Rng(0)));
        GaussianMixture gm = data.mixture().map(GaussianMixture::new).orElseThrow();
        for (double t : new double[] {0.01, 0.2, 0.5, 0.9}) {
            GaussianMixture pt = gm.at(sde, t);
            INDArray x = pt.sample(20, new Rng(7), DataType.DOUBLE);
            INDArray s = model.score().score(x, t);
            double scale = sde.marginalStd(t) + sde.meanScale(t);
            double h = 1e-5 * scale;
            double maxErr = 0, maxNorm = 0;
            for (int i = 0; i < d; i++) {
                INDArray plus = x.dup(), minus = x.dup();
                plus.getColumn(i).addi(h);
                minus.getColumn(i).subi(h);
                INDArray fd = pt.logDensity(plus).sub(pt.logDensity(minus)).divi(2 * h);
                for (int b = 0; b < 20; b++) {
                    maxErr = Math.max(maxErr, Math.abs(fd.getDouble(b) - s.getDouble(b, i)));
                    maxNorm = Math.max(maxNorm, Math.abs(s.getDouble(b, i)));
                }
            }
            assertThat(maxErr).as("%s d=%d t=%s", name, d, t).isLessThan(1e-5 * Math.max(1, maxNorm));
        }
    }

    /**
     * The class-conditional score is the gradient of the component's diffused log-density; the
     * responsibility-weighted class scores add up to the mixture score; and the exact noisy
     * classifier's gradient is the finite difference of its log-probabilities.
     */
    @ParameterizedTest(name = "{0} d={2}")
    @MethodSource("cases")
    void classScoresAndTheNoisyClassifierAreExact(String name, Sde sde, int d) {
        Dataset data = mixture(d);
        AnalyticModel model = (AnalyticModel) new ExactModelPlugin().create(Params.of(new ExactModelPlugin(), Map.of()),
                new ModelContext(sde, data, data.shape(), DataType.DOUBLE, new Rng(0)));
        ConditionalScore conditional = (ConditionalScore) model.score();
        GaussianMixture gm = data.mixture().map(GaussianMixture::new).orElseThrow();
        MixtureClassifier classifier = new MixtureClassifier(gm, sde);
        assertThat(conditional.classes()).isEqualTo(3);
        double t = 0.3;
        GaussianMixture pt = gm.at(sde, t);
        INDArray x = pt.sample(6, new Rng(9), DataType.DOUBLE);
        int[] labels = {0, 1, 2, 2, 1, 0};
        INDArray a = conditional.score(x, t, labels);
        INDArray grad = classifier.gradLogProbability(x, t, labels);
        INDArray logits = classifier.logits(x, t);
        double[][] r = pt.responsibilities(x);
        INDArray weighted = x.mul(0);
        for (int k = 0; k < 3; k++) {
            int[] all = new int[6];
            java.util.Arrays.fill(all, k);
            INDArray ak = conditional.score(x, t, all);
            for (int b = 0; b < 6; b++) weighted.getRow(b).addi(ak.getRow(b).mul(r[b][k]));
        }
        assertThat(weighted.sub(model.score().score(x, t)).amaxNumber().doubleValue()).isLessThan(1e-9);
        double h = 1e-5;
        for (int b = 0; b < 6; b++) {
            GaussianMixture component = new GaussianMixture(new double[] {1}, new double[][] {gm.mean(labels[b])},
                    new double[][][] {gm.covariance(labels[b])}).at(sde, t);
            for (int i = 0; i < d; i++) {
                INDArray plus = x.getRow(b).dup().reshape(1, d), minus = plus.dup();
                plus.putScalar(0, i, plus.getDouble(0, i) + h);
                minus.putScalar(0, i, minus.getDouble(0, i) - h);
                double fdComponent = (component.logDensity(plus).getDouble(0) - component.logDensity(minus).getDouble(0)) / (2 * h);
                assertThat(a.getDouble(b, i)).isCloseTo(fdComponent, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(fdComponent))));
                double fdClass = (classifier.logits(plus, t).getDouble(0, labels[b]) - classifier.logits(minus, t).getDouble(0, labels[b])) / (2 * h);
                assertThat(grad.getDouble(b, i)).isCloseTo(fdClass, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(fdClass))));
            }
            double norm = 0;
            for (int k = 0; k < 3; k++) norm += Math.exp(logits.getDouble(b, k));
            assertThat(norm).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /**
     * The closed-form vector-Jacobian product equals central finite differences of the score along
     * v (the Jacobian is the Hessian of log p_t, symmetric, so v^T J = J v), for every SDE and time.
     */
    @ParameterizedTest(name = "{0} d={2}")
    @MethodSource("cases")
    void vjpIsTheFiniteDifferenceOfTheScore(String name, Sde sde, int d) {
        Dataset data = mixture(d);
        AnalyticModel model = (AnalyticModel) new ExactModelPlugin().create(Params.of(new ExactModelPlugin(), Map.of()),
                new ModelContext(sde, data, data.shape(), DataType.DOUBLE, new Rng(0)));
        assertThat(model.score()).isInstanceOf(DifferentiableScore.class);
        DifferentiableScore score = (DifferentiableScore) model.score();
        GaussianMixture gm = data.mixture().map(GaussianMixture::new).orElseThrow();
        for (double t : new double[] {1e-5, 0.01, 0.2, 0.5, 0.9}) {
            GaussianMixture pt = gm.at(sde, t);
            // points between the components too, where responsibilities change fastest
            INDArray x = pt.sample(20, new Rng(11), DataType.DOUBLE).muli(0.8);
            INDArray v = new Rng(12).normal(DataType.DOUBLE, 20, d);
            INDArray xCopy = x.dup(), vCopy = v.dup();
            INDArray jv = score.vjp(x, t, v);
            assertThat(x).isEqualTo(xCopy);
            assertThat(v).isEqualTo(vCopy);
            assertThat(jv.shape()).containsExactly(20, d);
            double scale = sde.marginalStd(t) + sde.meanScale(t);
            double h = 1e-5 * scale;
            INDArray fd = score.score(x.add(v.mul(h)), t).subi(score.score(x.sub(v.mul(h)), t)).divi(2 * h);
            double maxErr = Math.abs(fd.sub(jv).maxNumber().doubleValue());
            maxErr = Math.max(maxErr, Math.abs(fd.sub(jv).minNumber().doubleValue()));
            double maxNorm = Math.max(1, Transforms.abs(jv).maxNumber().doubleValue());
            assertThat(maxErr).as("%s d=%d t=%s", name, d, t).isLessThan(1e-5 * maxNorm);
            // the same in single precision, as a float score would be asked for
            assertThat(score.vjp(x.castTo(DataType.FLOAT), t, v.castTo(DataType.FLOAT)).dataType()).isEqualTo(DataType.FLOAT);
        }
    }

    @Test
    void isRegistered() {
        assertThat(java.util.ServiceLoader.load(org.sdex.spi.model.ModelPlugin.class).stream().map(p -> p.type().getName()))
                .contains(ExactModelPlugin.class.getName());
    }

    @Test
    void needsDataWithAKnownDensity() {
        CheckerboardPlugin cb = new CheckerboardPlugin();
        Dataset data = cb.open(Params.of(cb, Map.of()), CTX);
        assertThatThrownBy(() -> new ExactModelPlugin().create(Params.of(new ExactModelPlugin(), Map.of()),
                new ModelContext(new VpSde(0.1, 20), data, data.shape(), DataType.DOUBLE, new Rng(0))))
                .isInstanceOf(ParamException.class)
                .hasMessage("model 'exact' needs data with a known density (data 'gmm'); got data 'checkerboard'");
        Dataset images = new Dataset() {
            @Override public long[] shape() { return new long[] {1, 28, 28}; }

            @Override public INDArray sample(int n, Rng rng) { throw new UnsupportedOperationException(); }
        };
        assertThatThrownBy(() -> new ExactModelPlugin().create(Params.of(new ExactModelPlugin(), Map.of()),
                new ModelContext(new VpSde(0.1, 20), images, images.shape(), DataType.DOUBLE, new Rng(0))))
                .hasMessage("model 'exact' needs data with a known density (data 'gmm'); got data of shape [1, 28, 28]");
    }

    @Test
    void alternatingTimesGiveEachTimesScoreInTheInputsDtype() {
        Dataset data = mixture(2);
        Sde sde = new VeSde(0.01, 50);
        AnalyticModel model = (AnalyticModel) new ExactModelPlugin().create(Params.of(new ExactModelPlugin(), Map.of()),
                new ModelContext(sde, data, data.shape(), DataType.DOUBLE, new Rng(0)));
        GaussianMixture gm = data.mixture().map(GaussianMixture::new).orElseThrow();
        INDArray x = gm.sample(5, new Rng(3), DataType.DOUBLE);
        // the per-t cache must never hand back another time's mixture
        for (double t : new double[] {0.3, 0.3, 0.7, 0.3, 0.7}) {
            assertThat(model.score().score(x, t)).isEqualTo(gm.at(sde, t).score(x));
        }
        INDArray single = model.score().score(x.castTo(DataType.FLOAT), 0.3);
        assertThat(single.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(single.shape()).containsExactly(5, 2);
    }
}
