package org.sdex.core.sample;

import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.config.SampleSettings;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.ReverseSde;
import org.sdex.spi.sde.Sde;

/**
 * Draws samples with any {@link SamplingMethod}: prior draws at T, one trajectory per batch, the
 * score evaluations of each trajectory counted. Example i always uses the noise stream of example
 * i ({@link Rng#rows}), so fixed-step methods give the same samples whatever the batch size; an
 * adaptive ODE solver controls the error of the whole batch, so there the samples agree to its
 * tolerance. The plugins it drives are created once ({@link SamplerPlugins}) and may serve several
 * samplers in turn.
 */
public final class Sampler {
    /** Progress units of one adaptive trajectory (its time fraction in per mille). */
    static final int ADAPTIVE_UNITS = 1000;

    private final Sde sde;
    private final CountingScore score;
    private final SamplerPlugins plugins;
    private final SampleSettings settings;
    private final Trajectory trajectory;

    public Sampler(Sde sde, ScoreFunction score, SamplingMethod method, SampleSettings settings) {
        this(sde, score, SamplerPlugins.create(method, sde, settings), settings);
    }

    /** Drives plugins created earlier, for the same steps, eps, denoising and probability flow as {@code settings}. */
    public Sampler(Sde sde, ScoreFunction score, SamplerPlugins plugins, SampleSettings settings) {
        if (!plugins.fits(settings)) throw new IllegalArgumentException("the sampler plugins were created for other settings than " + settings);
        this.sde = sde;
        this.score = new CountingScore(score);
        this.plugins = plugins;
        this.settings = settings;
        this.trajectory = trajectory();
    }

    /** Samples [n, shape...] with the score evaluations per sample: mean and max over batches. */
    public record Result(INDArray samples, double nfe, long nfeMax) {}

    /** Progress units the whole draw reports (steps per batch times batches). */
    public long progressUnits() {
        int batch = settings.effectiveBatch();
        long batches = (settings.n() + batch - 1) / batch;
        return batches * trajectory.units();
    }

    /**
     * Draws {@code settings.n()} samples of the given example shape.
     * @param progress called with the number of progress units done so far
     */
    public Result sample(long[] exampleShape, DataType type, LongConsumer progress) {
        plugins.bind(score);
        try {
            return draw(exampleShape, type, progress);
        } finally {
            plugins.unbind();
        }
    }

    private Result draw(long[] exampleShape, DataType type, LongConsumer progress) {
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
            long offset = (long) batches * trajectory.units();
            INDArray x = trajectory.run(xT, rng, done -> { if (progress != null) progress.accept(offset + done); });
            out.get(NDArrayIndex.interval(start, start + size)).assign(x);
            evaluations += score.calls();
            max = Math.max(max, score.calls());
            batches++;
        }
        return new Result(out, (double) evaluations / batches, max);
    }

    /** One batch from prior draws to samples; reports progress in its own units. */
    private interface Trajectory {
        INDArray run(INDArray xT, Rng rng, IntConsumer done);

        int units();
    }

    private Trajectory trajectory() {
        SamplingMethod method = plugins.method();
        if (method instanceof SamplingMethod.PredictorCorrector) return predictorCorrector();
        if (method instanceof SamplingMethod.ProbabilityFlowOde ode) return probabilityFlow(ode);
        return wholeTrajectory();
    }

    /** Song et al. 2021 Alg. 1 on the grid t_i = linspace(T, eps, N) with dt = -T/N, as the reference. */
    private Trajectory predictorCorrector() {
        int steps = settings.steps();
        Predictor predictor = plugins.predictor();
        Corrector corrector = plugins.corrector();
        double T = sde.T(), eps = settings.eps(), dt = -T / steps;
        return new Trajectory() {
            @Override public INDArray run(INDArray xT, Rng rng, IntConsumer done) {
                INDArray x = xT, mean = xT;
                for (int i = 0; i < steps; i++) {
                    double t = steps == 1 ? T : T + (eps - T) * i / (steps - 1);
                    Step c = corrector.update(x, t, rng);
                    Step p = predictor.update(c.x(), t, dt, rng);
                    x = p.x();
                    mean = p.mean();
                    done.accept(i + 1);
                }
                return settings.denoise() ? mean : x;
            }

            @Override public int units() { return steps; }
        };
    }

    /** The probability-flow ODE from T to eps; denoising by Tweedie's formula at eps (one more evaluation). */
    private Trajectory probabilityFlow(SamplingMethod.ProbabilityFlowOde ode) {
        boolean adaptive = ode.solver().plugin().adaptive();
        OdeSolver solver = plugins.ode();
        ReverseSde flow = new ReverseSde(sde, score, true);
        double T = sde.T(), eps = settings.eps();
        int units = adaptive ? ADAPTIVE_UNITS : settings.steps();
        return new Trajectory() {
            @Override public INDArray run(INDArray xT, Rng rng, IntConsumer done) {
                OdeSolution sol = solver.solve((t, y) -> {
                    done.accept((int) Math.min(units, Math.floor(units * (T - t) / (T - eps))));
                    return flow.drift(y, t);
                }, xT, T, eps);
                done.accept(units);
                return settings.denoise() ? tweedie(sol.y(), eps) : sol.y();
            }

            @Override public int units() { return units; }
        };
    }

    private Trajectory wholeTrajectory() {
        Solver solver = plugins.solver();
        return new Trajectory() {
            @Override public INDArray run(INDArray xT, Rng rng, IntConsumer done) { return solver.sample(xT, rng, done); }

            @Override public int units() { return settings.steps(); }
        };
    }

    /** E[x_0 | x_t] = (x + sigma_t^2 s(x, t)) / alpha_t: the noise-free estimate at the last time. */
    private INDArray tweedie(INDArray x, double t) {
        double sigma = sde.marginalStd(t);
        return score.score(x, t).muli(sigma * sigma).addi(x).divi(sde.meanScale(t));
    }

    private static long[] concat(long first, long[] rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
