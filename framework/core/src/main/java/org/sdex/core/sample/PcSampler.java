package org.sdex.core.sample;

import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.config.SampleSettings;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/**
 * The predictor-corrector sampler (Song et al. 2021, Alg. 1): from the prior at T, N steps on the
 * grid t_i = linspace(T, eps, N), each a corrector update then a predictor update with dt = -T/N
 * (as the reference); the last step's noise-free mean is returned when denoising. Samples are drawn
 * in batches; example i always uses the noise streams of example i, so the result does not depend
 * on the batch size.
 */
public final class PcSampler {
    private final Sde sde;
    private final CountingScore score;
    private final Predictor predictor;
    private final Corrector corrector;
    private final SampleSettings settings;

    public PcSampler(Sde sde, ScoreFunction score, PredictorPlugin predictor, Params predictorParams,
                     CorrectorPlugin corrector, Params correctorParams, SampleSettings settings) {
        this.sde = sde;
        this.score = new CountingScore(score);
        this.settings = settings;
        SamplerContext ctx = new SamplerContext(sde, this.score, settings.steps(), settings.probabilityFlow());
        this.predictor = predictor.create(predictorParams, ctx);
        this.corrector = corrector.create(correctorParams, ctx);
    }

    /** The outcome: samples [n, shape...] and the score evaluations one trajectory took. */
    public record Result(INDArray samples, long nfe) {}

    /**
     * Draws {@code settings.n()} samples of the given example shape.
     * @param onStep called with the number of finished steps of the current batch (for progress)
     */
    public Result sample(long[] exampleShape, DataType type, IntConsumer onStep) {
        int n = settings.n();
        int batch = settings.effectiveBatch();
        INDArray out = Nd4j.create(type, concat(n, exampleShape));
        long nfe = -1;
        for (int start = 0; start < n; start += batch) {
            int size = Math.min(batch, n - start);
            score.reset();
            INDArray x = trajectory(Rng.rows(settings.seed(), start, size), concat(size, exampleShape), type, onStep);
            out.get(NDArrayIndex.interval(start, start + size)).assign(x);
            nfe = score.calls();
        }
        return new Result(out, nfe);
    }

    private INDArray trajectory(Rng rng, long[] shape, DataType type, IntConsumer onStep) {
        int steps = settings.steps();
        double T = sde.T();
        double eps = settings.eps();
        double dt = -T / steps;
        INDArray x = sde.priorSample(rng, type, shape);
        INDArray mean = x;
        for (int i = 0; i < steps; i++) {
            double t = steps == 1 ? T : T + (eps - T) * i / (steps - 1);
            Step c = corrector.update(x, t, rng);
            Step p = predictor.update(c.x(), t, dt, rng);
            x = p.x();
            mean = p.mean();
            if (onStep != null) onStep.accept(i + 1);
        }
        return settings.denoise() ? mean : x;
    }

    private static long[] concat(long first, long[] rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
