package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.MixturePosterior;
import org.sdex.spi.random.Rng;

/** The posterior oracle against the scalar Kalman update and the evidence in closed form. */
class MixturePosteriorTest {
    @Test
    void scalarTwoComponentPosteriorInClosedForm() {
        // prior 0.3 N(-1, 0.5^2) + 0.7 N(2, 1); y = 2 x + n, n ~ N(0, 0.4^2), y = 1
        GaussianMixture prior = GaussianMixture.isotropic(new double[] {0.3, 0.7}, new double[][] {{-1}, {2}}, new double[] {0.5, 1});
        double a = 2, noise = 0.4, y = 1;
        MixturePosterior post = new MixturePosterior(prior, new double[][] {{a}}, new double[] {y}, noise);
        double[] mu = {-1, 2}, var = {0.25, 1}, w = {0.3, 0.7};
        double[] evidence = new double[2];
        for (int k = 0; k < 2; k++) {
            double s = a * a * var[k] + noise * noise;
            evidence[k] = w[k] * Math.exp(-0.5 * (y - a * mu[k]) * (y - a * mu[k]) / s) / Math.sqrt(2 * Math.PI * s);
            double postVar = 1 / (1 / var[k] + a * a / (noise * noise));
            double postMean = postVar * (mu[k] / var[k] + a * y / (noise * noise));
            assertThat(post.mean(k)[0]).isCloseTo(postMean, offset(1e-12));
            assertThat(post.covariance(k)[0][0]).isCloseTo(postVar, offset(1e-12));
        }
        assertThat(post.weights()[0]).isCloseTo(evidence[0] / (evidence[0] + evidence[1]), offset(1e-12));
        // draws: mean and variance of the mixture within a few standard errors
        INDArray x = post.sample(100_000, new Rng(3), null);
        double m = 0, m2 = 0;
        for (int k = 0; k < 2; k++) {
            double pw = post.weights()[k];
            m += pw * post.mean(k)[0];
            m2 += pw * (post.covariance(k)[0][0] + post.mean(k)[0] * post.mean(k)[0]);
        }
        double sd = Math.sqrt(m2 - m * m);
        assertThat(x.meanNumber().doubleValue()).isCloseTo(m, offset(5 * sd / Math.sqrt(100_000)));
        assertThat(x.stdNumber().doubleValue()).isCloseTo(sd, offset(0.01 * sd));
    }

    @Test
    void noiseFreeObservationOfOneCoordinatePinsItAndConditionsTheOther() {
        // one correlated 2-D Gaussian, x_0 observed exactly: x_1 | x_0 ~ N(mu_1 + c/v0 (x_0 - mu_0), v1 - c^2/v0)
        GaussianMixture prior = new GaussianMixture(new double[] {1}, new double[][] {{1, -1}}, new double[][][] {{{2, 0.6}, {0.6, 1}}});
        MixturePosterior post = new MixturePosterior(prior, new double[][] {{1, 0}, {0, 0}}, new double[] {2, 0}, 0);
        assertThat(post.mean(0)[0]).isCloseTo(2, offset(1e-12));
        assertThat(post.mean(0)[1]).isCloseTo(-1 + 0.3 * (2 - 1), offset(1e-12));
        assertThat(post.covariance(0)[1][1]).isCloseTo(1 - 0.36 / 2, offset(1e-12));
        INDArray x = post.sample(1000, new Rng(1), null);
        assertThat(x.getColumn(0).maxNumber().doubleValue()).isCloseTo(2, offset(1e-12));
        assertThat(x.getColumn(0).minNumber().doubleValue()).isCloseTo(2, offset(1e-12));
    }

    /**
     * The weights of a rank-deficient, noise-free observation two more ways: the evidence of the gray
     * value written out for the 6-D mixture read as [3, 1, 2] (gray of pixel p = mean of coordinates
     * p, p + 2, p + 4), and the labels of prior draws whose gray value lands next to y.
     */
    @Test
    void grayObservationWeightsAreTheEvidenceOfTheGrayValue() {
        GaussianMixture gm = SamplerComparison.MIXTURE_6D;
        double[] x = gm.sample(1, new Rng(5), DataType.DOUBLE).toDoubleVector();
        double[] y = {(x[0] + x[2] + x[4]) / 3, (x[1] + x[3] + x[5]) / 3};
        OperatorPlugin colorize = GuidedSamplingTest.REGISTRY.plugin(PluginKind.OPERATOR, "colorize", OperatorPlugin.class);
        long[] shape = {3, 1, 2};
        LinearOperator a = (LinearOperator) colorize.create(Params.of(colorize, Map.of()), new OperatorContext(shape, null));
        double[] weights = MixturePosterior.of(gm, a, Nd4j.createFromArray(y).reshape(1, 1, 1, 2), 0).weights();

        double[] evidence = new double[3];
        double total = 0;
        for (int k = 0; k < 3; k++) {
            double[] mu = gm.mean(k);
            double[][] c = gm.covariance(k);
            double[] m = new double[2];
            double[][] s = new double[2][2];
            for (int p = 0; p < 2; p++) {
                for (int ch = 0; ch < 3; ch++) m[p] += mu[2 * ch + p] / 3;
                for (int q = 0; q < 2; q++) for (int ch = 0; ch < 3; ch++) for (int cq = 0; cq < 3; cq++) s[p][q] += c[2 * ch + p][2 * cq + q] / 9;
            }
            double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
            double e0 = y[0] - m[0], e1 = y[1] - m[1];
            double quad = (s[1][1] * e0 * e0 - 2 * s[0][1] * e0 * e1 + s[0][0] * e1 * e1) / det;
            total += evidence[k] = gm.weights()[k] * Math.exp(-0.5 * quad) / (2 * Math.PI * Math.sqrt(det));
        }
        for (int k = 0; k < 3; k++) assertThat(weights[k]).isCloseTo(evidence[k] / total, offset(1e-10));
        // and far from the prior's 0.45, 0.35, 0.2: the gray value does tell the components apart a little
        assertThat(weights[0]).isCloseTo(0.228, offset(0.001));

        // Monte Carlo, no Gaussian algebra: the labels of 400,000 prior draws weighted by a narrow kernel around y
        int n = 400_000;
        int[] labels = new int[n];
        double[] draws = gm.sample(n, new Rng(17), DataType.DOUBLE, labels).reshape(n * 6L).toDoubleVector();
        double[] mass = new double[3];
        double h = 0.04, sum = 0; // about 6,000 effective draws: a standard error near 0.006
        for (int i = 0; i < n; i++) {
            double g0 = (draws[6 * i] + draws[6 * i + 2] + draws[6 * i + 4]) / 3 - y[0];
            double g1 = (draws[6 * i + 1] + draws[6 * i + 3] + draws[6 * i + 5]) / 3 - y[1];
            double k = Math.exp(-0.5 * (g0 * g0 + g1 * g1) / (h * h));
            mass[labels[i]] += k;
            sum += k;
        }
        for (int k = 0; k < 3; k++) assertThat(mass[k] / sum).as("component " + k).isCloseTo(weights[k], offset(0.025));
    }
}
