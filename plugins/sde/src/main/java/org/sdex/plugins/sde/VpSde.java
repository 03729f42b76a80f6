package org.sdex.plugins.sde;

import org.sdex.spi.sde.Discretization;
import org.sdex.spi.sde.NoiseLabel;
import org.sdex.spi.sde.Sde;

/**
 * Variance-preserving SDE {@code dx = -beta(t) x / 2 dt + sqrt(beta(t)) dW} with linear
 * beta(t) = b0 + t (b1 - b0) (Song et al. 2021, Eq. 11; the continuous limit of DDPM).
 */
public final class VpSde extends Sde {
    private final double b0;
    private final double b1;

    public VpSde(double betaMin, double betaMax) {
        this.b0 = betaMin;
        this.b1 = betaMax;
    }

    double beta(double t) { return b0 + t * (b1 - b0); }

    /** log alpha(t) = -t^2 (b1 - b0) / 4 - t b0 / 2, the integral of f. */
    double logMeanCoeff(double t) { return -0.25 * t * t * (b1 - b0) - 0.5 * t * b0; }

    @Override public double driftCoefficient(double t) { return -0.5 * beta(t); }

    @Override public double diffusion(double t) { return Math.sqrt(beta(t)); }

    @Override public double meanScale(double t) { return Math.exp(logMeanCoeff(t)); }

    // -expm1 keeps precision for the tiny variances near t = 0
    @Override public double marginalStd(double t) { return Math.sqrt(-Math.expm1(2 * logMeanCoeff(t))); }

    @Override public double priorStd() { return 1.0; }

    @Override public NoiseLabel noiseLabel() { return NoiseLabel.TIME_999; }

    /** DDPM's discretisation: betas linear from b0/N to b1/N, x' = sqrt(1 - beta_i) x + sqrt(beta_i) z. */
    @Override
    public Discretization discretize(double t, int n) {
        int i = (int) (t * (n - 1) / T());
        double beta = n == 1 ? b0 / n : b0 / n + i * (b1 / n - b0 / n) / (n - 1);
        return new Discretization(Math.sqrt(1 - beta) - 1, Math.sqrt(beta));
    }

    public double betaMin() { return b0; }

    public double betaMax() { return b1; }
}
