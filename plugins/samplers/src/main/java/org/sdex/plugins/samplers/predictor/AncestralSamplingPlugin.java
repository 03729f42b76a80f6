package org.sdex.plugins.samplers.predictor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/**
 * {@code ancestral_sampling}: ancestral sampling of DDPM (Ho et al. 2020) and SMLD (Song et al. 2021, App. F),
 * derived from the SDE's own Gaussian transition kernel.
 *
 * <p>One step from t to s = t + dt (dt &lt; 0) samples the posterior q(x_s | x_t, x0_hat) of the
 * forward process, with the denoised estimate of Tweedie's formula
 * {@code x0_hat = (x + sigma_t^2 s(x, t)) / alpha_t}. With {@code a_ts = alpha_t / alpha_s} and the
 * transition variance {@code v_ts = sigma_t^2 - a_ts^2 sigma_s^2} (x_t | x_s ~ N(a_ts x_s, v_ts I)):
 * <pre>
 *   mean     = (a_ts sigma_s^2 / sigma_t^2) x + (alpha_s v_ts / sigma_t^2) x0_hat  =  (x + v_ts s(x, t)) / a_ts
 *   variance = v_ts sigma_s^2 / sigma_t^2
 * </pre>
 * For VE (alpha = 1) this is exactly the reference's SMLD step {@code x + (sigma_i^2 - sigma_{i-1}^2) s}
 * with std {@code sqrt(sigma_{i-1}^2 (sigma_i^2 - sigma_{i-1}^2) / sigma_i^2)}, taking sigma_i = sigma(t)
 * and sigma_{i-1} = sigma(t + dt); for VP it is DDPM's {@code (x + beta s) / sqrt(1 - beta)} with
 * {@code beta = 1 - (alpha_t / alpha_s)^2} (the reference's beta_i up to O(1/N^2)) and DDPM's
 * posterior variance beta~ (the reference adds noise of variance beta instead; the two differ by
 * O(beta^2 / sigma_t^2)). Only alpha(t) and sigma(t) of the {@link Sde} are used, so the step is valid
 * for every linear SDE whose sigma(t) is the std of x_t given x_0 (sigma(0) = 0, or for VE sigma_min,
 * which the transition variance does not see): VE, VP and also sub-VP, where the reference raises
 * NotImplementedError. There is no probability-flow version (the reference defines none);
 * {@link #create} rejects one.
 */
public final class AncestralSamplingPlugin implements PredictorPlugin {
    @Override public String name() { return "ancestral_sampling"; }

    @Override
    public String description() {
        return "ancestral sampling (DDPM / SMLD) from the SDE's Gaussian posterior q(x_s | x_t, x0_hat); VE, VP and sub-VP";
    }

    @Override
    public Predictor create(Params params, SamplerContext ctx) {
        if (ctx.probabilityFlow()) {
            throw new IllegalArgumentException("ancestral_sampling has no probability-flow version; "
                    + "use reverse_diffusion or euler_maruyama with probabilityFlow");
        }
        return new AncestralSamplingPredictor(ctx.sde(), ctx.score());
    }

    /** One draw from q(x_{t+dt} | x_t, x0_hat); see the class comment of the plugin. */
    static final class AncestralSamplingPredictor implements Predictor {
        private final Sde sde;
        private final ScoreFunction score;

        AncestralSamplingPredictor(Sde sde, ScoreFunction score) {
            this.sde = sde;
            this.score = score;
        }

        @Override
        public Step update(INDArray x, double t, double dt, Rng rng) {
            // the last step of a grid that ends at eps = -dt lands on 0 up to rounding; never go below it
            double s = Math.max(t + dt, 0.0);
            double sigmaT = sde.marginalStd(t), sigmaS = sde.marginalStd(s);
            double aTs = sde.meanScale(t) / sde.meanScale(s);
            double st2 = sigmaT * sigmaT, ss2 = sigmaS * sigmaS;
            // v_ts >= 0 in exact arithmetic (the variance of x_t | x_s); rounding must not make it negative
            double vTs = Math.max(st2 - aTs * aTs * ss2, 0.0);
            INDArray mean = score.score(x, t).muli(vTs).addi(x).divi(aTs);
            // sigma_t = 0 means x_t is noise-free already: the posterior is a point mass
            double variance = st2 > 0 ? vTs * ss2 / st2 : 0.0;
            if (!(variance > 0)) return new Step(mean, mean);
            INDArray next = rng.normal(x.dataType(), x.shape()).muli(Math.sqrt(variance)).addi(mean);
            return new Step(next, mean);
        }
    }
}
