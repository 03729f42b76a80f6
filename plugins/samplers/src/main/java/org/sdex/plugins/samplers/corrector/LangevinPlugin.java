package org.sdex.plugins.samplers.corrector;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/** {@code langevin}: Langevin MCMC corrector with the step size set by a signal-to-noise ratio (Song et al. 2021, Alg. 4 (VE) and Alg. 5 (VP)). */
public final class LangevinPlugin implements CorrectorPlugin {
    static final String NORMS = "norms";
    static final String BATCH = "batch";
    static final String EXAMPLE = "example";

    private static final List<Param> PARAMETERS = List.of(
            LangevinParams.PARAMETERS.get(0),
            LangevinParams.PARAMETERS.get(1),
            Param.choice(NORMS, BATCH, "step size from the batch means of |z| and |score| (the reference; a valid "
                    + "Langevin chain) or from each example's own norms (independent of the batch, but biased in low "
                    + "dimension)", BATCH, EXAMPLE));

    @Override public String name() { return "langevin"; }

    @Override
    public String description() {
        return "Langevin MCMC, step 2 alpha_i (snr |z| / |score|)^2 (Song et al. 2021, Alg. 4-5)";
    }

    @Override public List<Param> parameters() { return PARAMETERS; }

    @Override public int scoreEvaluationsPerStep(Params params) { return params.integer(LangevinParams.N_STEPS); }

    @Override
    public Corrector create(Params params, SamplerContext ctx) {
        return new LangevinCorrector(ctx.sde(), ctx.score(), ctx.steps(),
                params.real(LangevinParams.SNR), params.integer(LangevinParams.N_STEPS), EXAMPLE.equals(params.string(NORMS)));
    }

    /**
     * nSteps times: {@code g = s(x, t)}, {@code z ~ N(0, I)},
     * {@code step = 2 alpha_i (snr ||z|| / ||g||)^2}, {@code x_mean = x + step g},
     * {@code x = x_mean + sqrt(2 step) z}, with alpha_i from {@link LangevinParams#alpha} and the norms
     * taken per example (per row, over all non-batch dimensions).
     *
     * <p>{@code norms = batch} (the default) then averages the norms over the batch, as the reference
     * does: the step is one number per update, nearly a function of t alone, and the chain is
     * unadjusted Langevin with a valid limit. Rows interact only through those two averages, so a
     * sample depends on the batch it is drawn in at the level of their sampling noise (relative
     * O(1/sqrt(batch))); with the kernel's default of one batch for all samples this never shows.
     *
     * <p>{@code norms = example} uses each row's own norms, so every row depends on itself and its own
     * noise stream only and samples do not depend on the batch size. But then the step depends on
     * the state: where the score is small (near a mode, between modes) the step is large, and a
     * state-dependent step {@code e(x)} makes the continuous-time chain target {@code p_t / e}, not
     * {@code p_t}; the step also grows with |z|, which adds variance. In high dimension the norms
     * concentrate and this fades; in low dimension it is large: with the exact score the 2-D mixture
     * of the acceptance test comes out with covariances hundreds of standard errors off, the 6-D
     * one with variances about doubled. A row whose score vanishes takes no step instead of an
     * infinite one.
     */
    static final class LangevinCorrector implements Corrector {
        private final Sde sde;
        private final ScoreFunction score;
        private final int steps;
        private final double snr;
        private final int nSteps;
        private final boolean perExample;

        LangevinCorrector(Sde sde, ScoreFunction score, int steps, double snr, int nSteps, boolean perExample) {
            this.sde = sde;
            this.score = score;
            this.steps = steps;
            this.snr = snr;
            this.nSteps = nSteps;
            this.perExample = perExample;
        }

        @Override
        public Step update(INDArray x, double t, Rng rng) {
            double alpha = LangevinParams.alpha(sde, t, steps);
            long b = x.size(0);
            long d = x.length() / b;
            INDArray mean = x;
            for (int k = 0; k < nSteps; k++) {
                INDArray g = score.score(x, t);
                INDArray z = rng.normal(x.dataType(), x.shape());
                double[] gNorm = g.reshape(b, d).norm2(1).toDoubleVector();
                double[] zNorm = z.reshape(b, d).norm2(1).toDoubleVector();
                if (!perExample) {
                    double batchStep = step(alpha, average(zNorm), average(gNorm));
                    double noise = Math.sqrt(2 * batchStep);
                    mean = g.muli(batchStep).addi(x);
                    x = z.muli(noise).addi(mean);
                    continue;
                }
                double[] step = new double[(int) b];
                double[] noise = new double[(int) b];
                for (int i = 0; i < b; i++) {
                    step[i] = step(alpha, zNorm[i], gNorm[i]);
                    noise[i] = Math.sqrt(2 * step[i]);
                }
                mean = g.reshape(b, d).mulColumnVector(column(step, x)).addi(x.reshape(b, d)).reshape(x.shape());
                x = z.reshape(b, d).mulColumnVector(column(noise, x)).addi(mean.reshape(b, d)).reshape(x.shape());
            }
            return new Step(x, mean);
        }

        /** 2 alpha (snr |z| / |g|)^2, or 0 where |g| = 0. */
        private double step(double alpha, double zNorm, double gNorm) {
            double r = snr * zNorm / gNorm;
            double e = 2 * alpha * r * r;
            return Double.isFinite(e) ? e : 0.0;
        }

        private static double average(double[] v) {
            double s = 0;
            for (double d : v) s += d;
            return s / v.length;
        }

        private static INDArray column(double[] v, INDArray like) {
            return Nd4j.createFromArray(v).castTo(like.dataType()).reshape(v.length, 1);
        }
    }
}
