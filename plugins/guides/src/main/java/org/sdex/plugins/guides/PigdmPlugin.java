package org.sdex.plugins.guides;

import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.Svd;
import org.sdex.spi.sde.Sde;

/** {@code pigdm}: pseudoinverse-guided diffusion (ΠGDM), the Gaussian approximation p(x₀ | x_t) = N(x̂₀, r_t² I) solved in the operator's SVD space (Song, Vahdat, Mardani, Kautz 2023, ICLR). */
public final class PigdmPlugin implements GuidePlugin {
    @Override public String name() { return "pigdm"; }

    @Override
    public String description() {
        return "ΠGDM: score + (dx0_hat/dx)^T A^T (r_t^2 A A^T + noise^2 I)^-1 (y - A x0_hat), in the SVD basis (Song et al. 2023)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("scale", 1.0, "guidance scale, a factor on the weighting's").positive(),
                Param.choice("weighting", "paper", "paper: the paper's r_t^2-weighted step, rate * r_t^2 * alpha^2 / g^2 times the posterior score; exact: the Gaussian-approximation posterior score as derived (weight 1)", "paper", "exact"),
                Param.real("rate", 100.0, "paper weighting: x / alpha moves by rate * dt * r_t^2 * grad_{x/alpha} log p(y | x_t) per time dt (100: one paper step per 0.01 of time, its 100 steps), at most one such step per step of the sampler (Alg. 1's)").positive(),
                Param.real("dataVariance", 1.0, "per-coordinate variance v of the data in r_t^2 = v s^2 / (v + s^2), s = sigma/alpha").positive());
    }

    @Override
    public Set<GuideNeed> needs(Params params) { return Set.of(GuideNeed.MEASUREMENT, GuideNeed.SVD, GuideNeed.SCORE_VJP); }

    @Override public int evaluationsPerScore(Params params) { return 2; }

    /**
     * ΠGDM approximates {@code p(x0 | x_t)} by {@code N(x̂0, r_t^2 I)}, which makes
     * {@code p(y | x_t) = N(A x̂0, r_t^2 A Aᵀ + noise^2 I)} and
     * {@code ∇ log p(y | x_t) = (∂x̂0/∂x)ᵀ Aᵀ (r_t^2 A Aᵀ + noise^2 I)⁻¹ (y - A x̂0)}. With A = U S Vᵀ
     * the inverse is diagonal: the direction is {@code V [s_i / (r_t^2 s_i^2 + noise^2) (Uᵀ (y - A x̂0))_i]}.
     * The paper's r_t^2 = sigma^2 / (1 + sigma^2) for VE-scaled data of unit variance becomes, for
     * any linear SDE in the scaled variable x / alpha (noise level sigma/alpha), {@code v (sigma/alpha)^2 /
     * (v + (sigma/alpha)^2)}: the posterior variance of a N(0, v) coordinate. This is how it maps onto
     * VE, VP and sub-VP; it is exact when the data are Gaussian with variance v.
     *
     * <p>{@code weighting: 'exact'} adds that score as is. It needs the network's Jacobian to cancel the
     * identity in {@code ∂x̂0/∂x = (I + sigma^2 ∂s/∂x) / alpha} to about alpha^2 (for a N(0, v) prior it is
     * {@code alpha r_t^2 / sigma^2}); at t = 1 of sub-VP or VP, alpha = 0.0066, a trained U-Net's x̂0 error
     * and Jacobian error are both amplified by 1/alpha and the first reverse step moves x by ~190 |x|:
     * the run diverges to NaN within a few steps. The paper (Alg. 1) instead moves the VE-scaled variable
     * x / alpha by {@code r_t^2 ∇_{x/alpha} log p(y | x_t)} per DDIM step (its guidance g has no 1/r_t^2,
     * and is added to the VP variable as sqrt(alpha_bar_t) g). Per unit of time that is, as a weight on
     * the posterior score in x, {@code rate r_t^2 alpha^2 / g(t)^2} with rate = paper steps per unit time
     * (100, the paper's 100 steps): a reverse step of length dt moves x by g^2 dt times the score. One
     * paper step is about the whole correction toward y (for A = I it moves x̂0 by at most r_t^2 / (r_t^2 + noise^2)
     * of y - x̂0), so k of them in one sampler step overshoot by k - 1: a sampler with fewer steps than
     * rate per unit time takes one per step, as Alg. 1 does whatever its number of steps (the rate is
     * capped at the sampler's steps per unit time; with 20 steps the uncapped 5 paper steps per step
     * lost 3.4 dB on 4 Fashion-MNIST images). With more steps the same rate spreads over them, so the
     * guidance converges as steps grow instead of growing with them. (On the probability-flow ODE the
     * score moves x by g^2 dt / 2: half of that.) The alpha^2
     * cancels the 1/alpha^2 amplification at large t, and r_t^2 / (r_t^2 + noise^2) ≤ 1 bounds the
     * step toward the observation at small t. It is the default, for trained networks; on the exact
     * score of a Gaussian mixture 'exact' is more accurate (pigdm denoising of ConditionRunTest: 4.1x the
     * floor, 7.8x paper), so the mixture tests and sdex bench guides ask for it. Where g(t) = 0 (sub-VP at t = 0) the weight's limit is 0.
     */
    @Override
    public Guide create(Params params, GuideContext context) {
        LinearOperator a = (LinearOperator) context.measurement().operator();
        Svd svd = a.svd().orElseThrow();
        double[] s = svd.singularValues();
        double noise = context.measurement().noise();
        double v = params.real("dataVariance"), scale = params.real("scale"), rate = paperRate(params.real("rate"), context);
        boolean paper = params.string("weighting").equals("paper");
        Sde sde = context.sde();
        return new DpsPlugin.MeasurementGuide(context, (y, score) -> {
            DifferentiableScore ds = (DifferentiableScore) score;
            return (x, t) -> PosteriorScore.guided(sde, ds, x, t, paper ? scale * paperWeight(sde, t, v, rate) : scale, (x0, time) -> {
                double r2 = posteriorVariance(sde, time, v);
                double[] gain = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    double d = r2 * s[i] * s[i] + noise * noise;
                    gain[i] = d > 0 ? s[i] / d : 0;
                }
                INDArray residual = svd.ut(y.castTo(DataType.DOUBLE).sub(a.forward(x0.castTo(DataType.DOUBLE))));
                INDArray c = Nd4j.zeros(DataType.DOUBLE, residual.size(0), svd.vt(x0.castTo(DataType.DOUBLE)).size(1));
                c.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.length)).assign(residual.mulRowVector(Nd4j.createFromArray(gain)));
                return svd.v(c);
            });
        });
    }

    /** Paper steps per unit time: the rate, but at most one per step of the sampler (as given where the sampler chooses its steps). */
    static double paperRate(double rate, GuideContext context) {
        return Double.isNaN(context.stepLength()) ? rate : Math.min(rate, 1 / context.stepLength());
    }

    /** r_t^2 = v l^2 / (v + l^2), l = sigma/alpha: the variance of a N(0, v) coordinate given x_t. */
    static double posteriorVariance(Sde sde, double t, double v) {
        double level = sde.marginalStd(t) / sde.meanScale(t);
        return v * level * level / (v + level * level);
    }

    /** The paper's weight on the posterior score: rate r_t^2 alpha^2 / g^2 (0 where g = 0, its limit). */
    static double paperWeight(Sde sde, double t, double v, double rate) {
        double g = sde.diffusion(t), alpha = sde.meanScale(t);
        return g == 0 ? 0 : rate * posteriorVariance(sde, t, v) * alpha * alpha / (g * g);
    }
}
