package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
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
}
