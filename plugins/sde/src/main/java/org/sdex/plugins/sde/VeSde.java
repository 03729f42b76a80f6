package org.sdex.plugins.sde;

import org.sdex.spi.sde.Discretization;
import org.sdex.spi.sde.NoiseLabel;
import org.sdex.spi.sde.Sde;

/**
 * Variance-exploding SDE {@code dx = sqrt(d sigma^2/dt) dW} with geometric
 * sigma(t) = sigma_min (sigma_max / sigma_min)^t (Song et al. 2021, Eq. 9; the limit of SMLD/NCSN).
 * As in the reference, the marginal std is sigma(t) itself (it ignores the sigma_min^2 the
 * process starts with at t = 0, which is negligible next to the data scale).
 */
public final class VeSde extends Sde {
    private final double sigmaMin;
    private final double sigmaMax;
    private final double logRatio;

    public VeSde(double sigmaMin, double sigmaMax) {
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.logRatio = Math.log(sigmaMax / sigmaMin);
    }

    double sigma(double t) { return sigmaMin * Math.exp(t * logRatio); }

    @Override public double driftCoefficient(double t) { return 0.0; }

    @Override public double diffusion(double t) { return sigma(t) * Math.sqrt(2 * logRatio); }

    @Override public double meanScale(double t) { return 1.0; }

    @Override public double marginalStd(double t) { return sigma(t); }

    @Override public double priorStd() { return sigmaMax; }

    @Override public NoiseLabel noiseLabel() { return NoiseLabel.SIGMA; }

    /** SMLD's discretisation: geometric sigmas, x' = x + sqrt(sigma_i^2 - sigma_{i-1}^2) z. */
    @Override
    public Discretization discretize(double t, int n) {
        int i = (int) (t * (n - 1) / T());
        double s = discreteSigma(i, n);
        double prev = i == 0 ? 0.0 : discreteSigma(i - 1, n);
        return new Discretization(0.0, Math.sqrt(s * s - prev * prev));
    }

    /** sigma_i of the N-level geometric schedule from sigma_min to sigma_max. */
    public double discreteSigma(int i, int n) {
        return n == 1 ? sigmaMin : Math.exp(Math.log(sigmaMin) + i * logRatio / (n - 1));
    }

    public double sigmaMin() { return sigmaMin; }

    public double sigmaMax() { return sigmaMax; }
}
