package org.sdex.plugins.samplers.corrector;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/** {@code ald}: annealed Langevin dynamics, step 2 alpha_i (snr sigma(t))^2 (Song and Ermon 2019; the reference's AnnealedLangevinDynamics). */
public final class AnnealedLangevinPlugin implements CorrectorPlugin {
    @Override public String name() { return "ald"; }

    @Override
    public String description() {
        return "annealed Langevin dynamics, step 2 alpha_i (snr sigma(t))^2 (Song and Ermon 2019)";
    }

    @Override public List<Param> parameters() { return LangevinParams.PARAMETERS; }

    @Override public int scoreEvaluationsPerStep(Params params) { return params.integer(LangevinParams.N_STEPS); }

    @Override
    public Corrector create(Params params, SamplerContext ctx) {
        return new AnnealedLangevinCorrector(ctx.sde(), ctx.score(), ctx.steps(),
                params.real(LangevinParams.SNR), params.integer(LangevinParams.N_STEPS));
    }

    /**
     * nSteps times: {@code x_mean = x + step s(x, t)}, {@code x = x_mean + sqrt(2 step) z} with the
     * fixed {@code step = 2 alpha_i (snr sigma(t))^2} (alpha_i from {@link LangevinParams#alpha}).
     */
    static final class AnnealedLangevinCorrector implements Corrector {
        private final Sde sde;
        private final ScoreFunction score;
        private final int steps;
        private final double snr;
        private final int nSteps;

        AnnealedLangevinCorrector(Sde sde, ScoreFunction score, int steps, double snr, int nSteps) {
            this.sde = sde;
            this.score = score;
            this.steps = steps;
            this.snr = snr;
            this.nSteps = nSteps;
        }

        @Override
        public Step update(INDArray x, double t, Rng rng) {
            double std = sde.marginalStd(t);
            double step = 2 * LangevinParams.alpha(sde, t, steps) * (snr * std) * (snr * std);
            double noise = Math.sqrt(2 * step);
            INDArray mean = x;
            for (int k = 0; k < nSteps; k++) {
                mean = score.score(x, t).muli(step).addi(x);
                x = rng.normal(x.dataType(), x.shape()).muli(noise).addi(mean);
            }
            return new Step(x, mean);
        }
    }
}
