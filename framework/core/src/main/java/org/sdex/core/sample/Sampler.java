package org.sdex.core.sample;

import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.config.SampleSettings;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.PcLoop;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sde.ReverseSde;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.Tweedie;

/**
 * Draws samples with any {@link SamplingMethod}: prior draws at T, one trajectory per batch, the
 * score evaluations of each trajectory counted. Example i always uses the noise stream of example
 * i ({@link Rng#rows}), so fixed-step methods give the same samples whatever the batch size; an
 * adaptive ODE solver controls the error of the whole batch, so there the samples agree to its
 * tolerance. The plugins it drives are created once ({@link SamplerPlugins}) and may serve several
 * samplers in turn.
 *
 * <p>A {@link Guide} enters here and only here: every way (PC loop, probability-flow ODE,
 * whole-trajectory solver) is built from one {@link SamplerContext}, and for each batch the kernel
 * binds that context's score to the guide's score of the batch and its hook to the guide's hook.
 * Without a guide the context forwards to the counting score, and its hook is {@link StepHook#NONE}.
 */
public final class Sampler {
    /** Progress units of one adaptive trajectory (its time fraction in per mille). */
    static final int ADAPTIVE_UNITS = 1000;

    private final Sde sde;
    private final CountingScore score;
    private final SamplerPlugins plugins;
    private final SampleSettings settings;
    private final Guide guide;
    private final Trajectory trajectory;

    public Sampler(Sde sde, ScoreFunction score, SamplingMethod method, SampleSettings settings) {
        this(sde, score, method, settings, null);
    }

    /** @param guide the conditioning guide, or null for unconditional sampling */
    public Sampler(Sde sde, ScoreFunction score, SamplingMethod method, SampleSettings settings, Guide guide) {
        this(sde, score, SamplerPlugins.create(method, sde, settings, guide != null), settings, guide);
    }

    /** Drives plugins created earlier, for the same steps, eps, denoising and probability flow as {@code settings}. */
    public Sampler(Sde sde, ScoreFunction score, SamplerPlugins plugins, SampleSettings settings) {
        this(sde, score, plugins, settings, null);
    }

    /**
     * Drives plugins created earlier with a guide (or null).
     * @throws IllegalArgumentException when the plugins were created for other settings, or without a hook for a guide
     */
    public Sampler(Sde sde, ScoreFunction score, SamplerPlugins plugins, SampleSettings settings, Guide guide) {
        if (!plugins.fits(settings)) throw new IllegalArgumentException("the sampler plugins were created for other settings than " + settings);
        if (guide != null && !plugins.guided()) throw new IllegalArgumentException("the sampler plugins were created for unguided sampling");
        this.sde = sde;
        this.score = new CountingScore(score);
        this.plugins = plugins;
        this.settings = settings;
        this.guide = guide;
        this.trajectory = trajectory(plugins.context());
    }

    /** Samples [n, shape...] with the score evaluations per sample: mean and max over batches. */
    public record Result(INDArray samples, double nfe, long nfeMax) {}

    /** Progress units the whole draw reports (steps per batch times batches). */
    public long progressUnits() {
        int batch = settings.effectiveBatch();
        long batches = (settings.n() + batch - 1) / batch;
        return batches * units();
    }

    /**
     * Draws {@code settings.n()} samples of the given example shape.
     * @param progress called with the number of progress units done so far
     */
    public Result sample(long[] exampleShape, DataType type, LongConsumer progress) {
        int n = settings.n();
        int batch = settings.effectiveBatch();
        INDArray out = Nd4j.create(type, concat(n, exampleShape));
        long evaluations = 0, max = 0;
        int batches = 0;
        for (int start = 0; start < n; start += batch) {
            int size = Math.min(batch, n - start);
            score.reset();
            Rng rng = Rng.rows(settings.seed(), start, size);
            INDArray xT = sde.priorSample(rng, type, concat(size, exampleShape));
            long offset = (long) batches * units();
            bind(start, size);
            INDArray x;
            try {
                x = trajectory.run(xT, rng, done -> { if (progress != null) progress.accept(offset + done); });
            } finally {
                plugins.unbind();
            }
            out.get(NDArrayIndex.interval(start, start + size)).assign(x);
            evaluations += score.calls();
            max = Math.max(max, score.calls());
            batches++;
        }
        return new Result(out, (double) evaluations / batches, max);
    }

    /**
     * Where guidance enters, the one place for every way: the plugins' context forwards to the
     * (guided) score and the step hook of the batch of examples {@code [first, first + count)}.
     */
    private void bind(long first, int count) {
        Guide g = guide == null ? null : guide.rows(first, count);
        ScoreFunction followed = g == null ? score : g.score(score);
        StepHook hook = g == null ? StepHook.NONE : g.hook();
        if (hook != StepHook.NONE && plugins.method() instanceof SamplingMethod.ProbabilityFlowOde) {
            throw new IllegalArgumentException(GuidedSampling.NO_HOOK_ON_ODE);
        }
        plugins.bind(followed, hook);
    }

    /** One batch from prior draws to samples; reports progress in its own units. */
    private interface Trajectory {
        INDArray run(INDArray xT, Rng rng, IntConsumer done);
    }

    private int units() {
        if (plugins.method() instanceof SamplingMethod.ProbabilityFlowOde ode && ode.solver().plugin().adaptive()) return ADAPTIVE_UNITS;
        return settings.steps();
    }

    private Trajectory trajectory(SamplerContext ctx) {
        if (plugins.method() instanceof SamplingMethod.PredictorCorrector) {
            // Song et al. 2021 Alg. 1 ({@link PcLoop})
            Predictor predictor = plugins.predictor();
            Corrector corrector = plugins.corrector();
            return (xT, rng, done) -> PcLoop.run(ctx, predictor, corrector, xT, rng, done);
        }
        if (plugins.method() instanceof SamplingMethod.ProbabilityFlowOde) return probabilityFlow(ctx);
        Solver solver = plugins.solver();
        return solver::sample;
    }

    /** The probability-flow ODE from T to eps; denoising by Tweedie's formula at eps (one more evaluation). */
    private Trajectory probabilityFlow(SamplerContext ctx) {
        OdeSolver solver = plugins.ode();
        ReverseSde flow = new ReverseSde(sde, ctx.score(), true);
        double T = sde.T(), eps = ctx.eps();
        int units = units();
        return (xT, rng, done) -> {
            OdeSolution sol = solver.solve((t, y) -> {
                done.accept((int) Math.min(units, Math.floor(units * (T - t) / (T - eps))));
                return flow.drift(y, t);
            }, xT, T, eps);
            done.accept(units);
            return ctx.denoise() ? Tweedie.denoisei(sde, sol.y(), ctx.score().score(sol.y(), eps), eps) : sol.y();
        };
    }

    private static long[] concat(long first, long[] rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
