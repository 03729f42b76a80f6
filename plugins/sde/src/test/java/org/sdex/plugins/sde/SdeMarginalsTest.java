package org.sdex.plugins.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Discretization;
import org.sdex.spi.sde.NoiseLabel;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/**
 * The marginal mean scale alpha(t) and std sigma(t) each SDE states in closed form, checked against
 * an independent derivation: the moment ODEs of dx = f x dt + g dW, dm/dt = f m and
 * dv/dt = 2 f v + g^2, integrated numerically from the drift and diffusion alone.
 */
class SdeMarginalsTest {

    static Stream<Arguments> sdes() {
        return Stream.of(
                Arguments.of("vp", new VpSde(0.1, 20)),
                Arguments.of("vp-flat", new VpSde(1.0, 3.0)),
                Arguments.of("subvp", new SubVpSde(0.1, 20)),
                Arguments.of("ve", new VeSde(0.01, 50)),
                Arguments.of("ve-small", new VeSde(0.1, 5)));
    }

    /** RK4 of the moment ODEs from t=0 (m=1, v=v0) to t; returns {m, v}. */
    static double[] moments(Sde sde, double t, double v0) {
        int n = 20_000;
        double h = t / n;
        double m = 1, v = v0, s = 0;
        for (int i = 0; i < n; i++) {
            double[] k1 = rhs(sde, s, m, v);
            double[] k2 = rhs(sde, s + h / 2, m + h / 2 * k1[0], v + h / 2 * k1[1]);
            double[] k3 = rhs(sde, s + h / 2, m + h / 2 * k2[0], v + h / 2 * k2[1]);
            double[] k4 = rhs(sde, s + h, m + h * k3[0], v + h * k3[1]);
            m += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
            v += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
            s += h;
        }
        return new double[] {m, v};
    }

    private static double[] rhs(Sde sde, double t, double m, double v) {
        double f = sde.driftCoefficient(t);
        double g = sde.diffusion(t);
        return new double[] {f * m, 2 * f * v + g * g};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void marginalsMatchTheMomentOdes(String name, Sde sde) {
        // VE starts at variance sigma_min^2 in the reference's convention (std = sigma(t) at every t)
        double v0 = sde instanceof VeSde ? Math.pow(sde.marginalStd(0), 2) : 0.0;
        for (double t : new double[] {0.01, 0.1, 0.3, 0.5, 0.8, 1.0}) {
            double[] mv = moments(sde, t, v0);
            assertThat(sde.meanScale(t)).as("%s alpha(%s)", name, t).isCloseTo(mv[0], offset(1e-7 * Math.max(1, mv[0])));
            assertThat(sde.marginalStd(t)).as("%s sigma(%s)", name, t)
                    .isCloseTo(Math.sqrt(mv[1]), offset(1e-6 * Math.max(1, Math.sqrt(mv[1]))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void priorLogDensityIsTheIsotropicGaussian(String name, Sde sde) {
        double s = sde.priorStd();
        INDArray z = Nd4j.createFromArray(new double[][] {{0.3 * s, -1.2 * s, 0.5 * s}, {0, 0, 0}});
        INDArray lp = sde.priorLogp(z);
        for (int b = 0; b < 2; b++) {
            double sq = 0;
            for (int i = 0; i < 3; i++) sq += Math.pow(z.getDouble(b, i), 2);
            double expected = -1.5 * Math.log(2 * Math.PI * s * s) - sq / (2 * s * s);
            assertThat(lp.getDouble(b)).isCloseTo(expected, offset(1e-9 * Math.abs(expected)));
        }
        // and it is the density the prior sampler draws from: sample variance ~ s^2
        INDArray x = sde.priorSample(new Rng(3), DataType.DOUBLE, 20000, 2);
        assertThat(x.varNumber().doubleValue()).isCloseTo(s * s, offset(0.03 * s * s));
    }

    /** Values of the paper's formulas at t = 0.5 with the default parameters, worked out separately (numpy). */
    @Test
    void coefficientsAreThePapersFormulas() {
        VpSde vp = new VpSde(0.1, 20);
        assertThat(vp.driftCoefficient(0.5)).isCloseTo(-5.025, offset(1e-12));
        assertThat(vp.diffusion(0.5)).isCloseTo(3.1701734968294715, offset(1e-12));
        assertThat(vp.meanScale(0.5)).isCloseTo(0.2811828807967524, offset(1e-12));
        assertThat(vp.marginalStd(0.5)).isCloseTo(0.9596542020680363, offset(1e-12));
        SubVpSde subvp = new SubVpSde(0.1, 20);
        assertThat(subvp.driftCoefficient(0.5)).isCloseTo(-5.025, offset(1e-12));
        assertThat(subvp.diffusion(0.5)).isCloseTo(3.1602494492178512, offset(1e-12));
        assertThat(subvp.meanScale(0.5)).isCloseTo(0.2811828807967524, offset(1e-12));
        assertThat(subvp.marginalStd(0.5)).isCloseTo(0.9209361875468394, offset(1e-12));
        VeSde ve = new VeSde(0.01, 50);
        assertThat(ve.driftCoefficient(0.5)).isZero();
        assertThat(ve.diffusion(0.5)).isCloseTo(2.918423065872431, offset(1e-12));
        assertThat(ve.meanScale(0.5)).isEqualTo(1.0);
        assertThat(ve.marginalStd(0.5)).isCloseTo(0.7071067811865476, offset(1e-12));
        assertThat(List.of(vp.priorStd(), subvp.priorStd(), ve.priorStd())).containsExactly(1.0, 1.0, 50.0);
        assertThat(List.of(vp.noiseLabel(), subvp.noiseLabel(), ve.noiseLabel()))
                .containsExactly(NoiseLabel.TIME_999, NoiseLabel.TIME_999, NoiseLabel.SIGMA);
        // N = 1000: step i = floor(0.5 * 999) = 499 of linspace(b0/N, b1/N, N) and of the geometric sigmas
        Discretization ddpm = vp.discretize(0.5, 1000);
        assertThat(ddpm.driftScale()).isCloseTo(-0.005032683974011132, offset(1e-14));
        assertThat(ddpm.noiseScale()).isCloseTo(0.10020000019980059, offset(1e-14));
        Discretization smld = ve.discretize(0.5, 1000);
        assertThat(smld.driftScale()).isZero();
        assertThat(smld.noiseScale()).isCloseTo(0.0915514997298814, offset(1e-14));
        // sub-VP keeps the default Euler-Maruyama discretisation: f dt and g sqrt(dt)
        Discretization euler = subvp.discretize(0.5, 1000);
        assertThat(euler.driftScale()).isCloseTo(-5.025e-3, offset(1e-15));
        assertThat(euler.noiseScale()).isCloseTo(3.1602494492178512 * Math.sqrt(1e-3), offset(1e-14));
    }

    @Test
    void ddpmDiscretisationConvergesToTheContinuousVpMarginal() {
        VpSde sde = new VpSde(0.1, 20);
        double previous = Double.NaN;
        for (int n : new int[] {100, 1000}) {
            double logAlpha = 0;
            for (int i = 0; i < n; i++) {
                Discretization d = sde.discretize((double) i / (n - 1), n);
                logAlpha += Math.log(1 + d.driftScale());
            }
            // product of sqrt(1 - beta_i) over all steps ~ alpha(T), closer as N grows
            double rel = Math.abs(logAlpha - Math.log(sde.meanScale(1.0))) / Math.abs(Math.log(sde.meanScale(1.0)));
            // first-order agreement: the error shrinks ~10x when N grows 10x
            if (!Double.isNaN(previous)) assertThat(rel).as("N=%d", n).isLessThan(previous / 5).isLessThan(0.01);
            previous = rel;
        }
    }

    @Test
    void smldDiscretisationAddsUpToTheFinalVariance() {
        VeSde sde = new VeSde(0.01, 50);
        int n = 1000;
        double var = 0;
        for (int i = 0; i < n; i++) var += Math.pow(sde.discretize((double) i / (n - 1), n).noiseScale(), 2);
        // the variances telescope: sum of (sigma_i^2 - sigma_{i-1}^2) = sigma_max^2
        assertThat(var).isCloseTo(50.0 * 50.0, offset(1e-6 * 2500));
        assertThat(sde.discretize(0.0, n).noiseScale()).isCloseTo(0.01, offset(1e-12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void simulatedForwardProcessHasTheStatedMarginal(String name, Sde sde) {
        // Euler-Maruyama from x0 = 1.5, 20000 paths, 400 steps to t = 0.6
        int paths = 20000, steps = 400;
        double t1 = 0.6, h = t1 / steps;
        double[] x = new double[paths];
        java.util.Arrays.fill(x, 1.5);
        Rng rng = new Rng(11);
        double[] z = new double[paths];
        for (int k = 0; k < steps; k++) {
            double t = k * h;
            double f = sde.driftCoefficient(t), g = sde.diffusion(t);
            rng.fillGaussian(z, 0, paths);
            for (int i = 0; i < paths; i++) x[i] += f * x[i] * h + g * Math.sqrt(h) * z[i];
        }
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double var = java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (paths - 1);
        double v0 = sde instanceof VeSde ? Math.pow(sde.marginalStd(0), 2) : 0.0;
        double expectedVar = Math.pow(sde.marginalStd(t1), 2) - v0;
        double sd = Math.sqrt(expectedVar);
        assertThat(mean).isCloseTo(1.5 * sde.meanScale(t1), offset(4 * sd / Math.sqrt(paths) + 0.01 * sd));
        assertThat(var).isCloseTo(expectedVar, offset(expectedVar * (4 * Math.sqrt(2.0 / paths) + 0.02)));
    }

    @Test
    void pluginsValidateTheirCombinations() {
        assertThatThrownBy(() -> new VpSdePlugin().create(Params.of(new VpSdePlugin(), Map.of("betaMin", 5, "betaMax", 1))))
                .isInstanceOf(ParamException.class)
                .hasMessage("sde 'vp' needs betaMax > betaMin, got betaMin 5.0 and betaMax 1.0");
        assertThatThrownBy(() -> new VeSdePlugin().create(Params.of(new VeSdePlugin(), Map.of("sigmaMax", 0.001))))
                .isInstanceOf(ParamException.class).hasMessageContaining("sigmaMax > sigmaMin");
        assertThatThrownBy(() -> Params.of(new VeSdePlugin(), Map.of("sigmaMin", -1)))
                .hasMessage("sde 've' parameter 'sigmaMin' must be a number > 0, got -1");
        assertThat(java.util.ServiceLoader.load(SdePlugin.class).stream().map(p -> p.get().name()))
                .containsExactly("vp", "subvp", "ve");
    }
}
