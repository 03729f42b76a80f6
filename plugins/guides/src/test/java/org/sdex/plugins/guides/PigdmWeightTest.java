package org.sdex.plugins.guides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;

/**
 * ΠGDM's paper weighting rate r_t^2 alpha^2 / g^2 against its closed forms on VP, sub-VP and VE
 * (B(t) = betaMin t + (betaMax - betaMin) t^2 / 2, unit data variance unless said).
 */
class PigdmWeightTest {
    private static final double[] TIMES = {1e-3, 0.05, 0.3, 0.7, 1.0};

    @Test
    void vp() {
        VpSde sde = new VpSde(0.1, 20);
        for (double t : TIMES) {
            double a2 = Math.exp(-(0.1 * t + 19.9 * t * t / 2)), beta = 0.1 + 19.9 * t;
            // r^2 = 1 - alpha^2 for v = 1: w = rate alpha^2 (1 - alpha^2) / beta
            assertThat(PigdmPlugin.paperWeight(sde, t, 1.0, 100)).isCloseTo(100 * a2 * (1 - a2) / beta, within(1e-9 * (1 + 100 * a2 / beta)));
        }
    }

    @Test
    void subVpWithADataVariance() {
        SubVpSde sde = new SubVpSde(0.1, 20);
        double v = 0.3;
        for (double t : TIMES) {
            double b = 0.1 * t + 19.9 * t * t / 2, a2 = Math.exp(-b), beta = 0.1 + 19.9 * t;
            double level2 = Math.pow(1 - Math.exp(-b), 2) / a2, r2 = v * level2 / (v + level2);
            double expected = 50 * r2 * a2 / (beta * (1 - Math.exp(-2 * b)));
            assertThat(PigdmPlugin.paperWeight(sde, t, v, 50)).isCloseTo(expected, within(1e-7 * expected));
        }
        // at t = 1 (r^2 ~ 1, g^2 ~ 20) the weight is ~ rate alpha^2 / 20 = 100 e^-10.05 / 20: the alpha^2 that
        // cancels the 1/alpha^2 of the unweighted pull-back
        assertThat(PigdmPlugin.paperWeight(sde, 1.0, 1.0, 100)).isCloseTo(100 * Math.exp(-10.05) / 20, within(0.01 * 100 * Math.exp(-10.05) / 20));
    }

    @Test
    void ve() {
        VeSde sde = new VeSde(0.01, 50);
        for (double t : TIMES) {
            double s2 = Math.pow(0.01 * Math.pow(5000, t), 2);
            // w = rate (s^2 / (1 + s^2)) / (2 s^2 ln(sigmaMax / sigmaMin))
            double expected = 100 / ((1 + s2) * 2 * Math.log(5000));
            assertThat(PigdmPlugin.paperWeight(sde, t, 1.0, 100)).isCloseTo(expected, within(1e-9 * expected));
        }
    }
}
