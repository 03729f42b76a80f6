package org.sdex.spi.sde;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * A linear (affine-drift) SDE {@code dx = f(t) x dt + g(t) dW} on [0, T], the family that contains
 * VE, VP and sub-VP (Song et al. 2021, Sec. 3.4). Linearity is what makes the transition kernel
 * Gaussian, {@code x_t | x_0 ~ N(alpha(t) x_0, sigma(t)^2 I)}, which denoising score matching and the
 * exact Gaussian-mixture oracle both rely on; subclasses give the scalar coefficients in closed form.
 */
public abstract class Sde {

    /** End time T of the forward process. */
    public double T() { return 1.0; }

    /** Drift coefficient f(t): the drift is f(t) x. */
    public abstract double driftCoefficient(double t);

    /** Diffusion coefficient g(t). */
    public abstract double diffusion(double t);

    /** alpha(t) with E[x_t | x_0] = alpha(t) x_0. */
    public abstract double meanScale(double t);

    /** sigma(t), the standard deviation of x_t given x_0. */
    public abstract double marginalStd(double t);

    /** Standard deviation of the (isotropic Gaussian, zero-mean) prior at T. */
    public abstract double priorStd();

    /** What a network is conditioned on at time t, following the reference (999 t, or sigma(t) for VE). */
    public abstract NoiseLabel noiseLabel();

    /** Drift f(t) x. */
    public INDArray drift(INDArray x, double t) { return x.mul(driftCoefficient(t)); }

    /** The mean alpha(t) x_0 of the perturbation kernel. */
    public INDArray marginalMean(INDArray x0, double t) { return x0.mul(meanScale(t)); }

    /** A draw from the prior N(0, priorStd^2 I). */
    public INDArray priorSample(Rng rng, DataType type, long... shape) {
        return rng.normal(type, shape).muli(priorStd());
    }

    /** Prior log-density of each row (leading axis = batch), in nats. */
    public INDArray priorLogp(INDArray z) {
        long b = z.size(0);
        long d = z.length() / b;
        double s2 = priorStd() * priorStd();
        INDArray sq = z.reshape(b, d).castTo(DataType.DOUBLE);
        INDArray sum = sq.mul(sq).sum(1);
        return sum.muli(-0.5 / s2).addi(-0.5 * d * Math.log(2 * Math.PI * s2));
    }

    /**
     * One step of the discretised forward process for an N-step schedule:
     * {@code x_{i+1} = x_i + driftScale * x_i + noiseScale * z}. The default is Euler-Maruyama with
     * dt = T/N; VP and VE override it with the DDPM and SMLD discretisations.
     */
    public Discretization discretize(double t, int n) {
        double dt = T() / n;
        return new Discretization(driftCoefficient(t) * dt, diffusion(t) * Math.sqrt(dt));
    }
}
