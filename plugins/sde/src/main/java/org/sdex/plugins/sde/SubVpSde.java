package org.sdex.plugins.sde;

import org.sdex.spi.sde.NoiseLabel;
import org.sdex.spi.sde.Sde;

/**
 * Sub-VP SDE {@code dx = -beta(t) x / 2 dt + sqrt(beta(t) (1 - e^{-2 int_0^t beta})) dW}
 * (Song et al. 2021, Eq. 12): the same mean as VP with a variance bounded by VP's, which gave the
 * paper's best likelihoods.
 */
public final class SubVpSde extends Sde {
    private final VpSde vp;

    public SubVpSde(double betaMin, double betaMax) { this.vp = new VpSde(betaMin, betaMax); }

    @Override public double driftCoefficient(double t) { return vp.driftCoefficient(t); }

    @Override
    public double diffusion(double t) {
        // 1 - exp(-2 b0 t - (b1 - b0) t^2) = 1 - alpha(t)^4
        double discount = -Math.expm1(4 * vp.logMeanCoeff(t));
        return Math.sqrt(vp.beta(t) * discount);
    }

    @Override public double meanScale(double t) { return vp.meanScale(t); }

    @Override public double marginalStd(double t) { return -Math.expm1(2 * vp.logMeanCoeff(t)); }

    @Override public double priorStd() { return 1.0; }

    @Override public NoiseLabel noiseLabel() { return NoiseLabel.TIME_999; }
}
