package org.sdex.core.sample;

import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sde.Sde;

/**
 * The plugin objects of one way of sampling, created once, before there is a score to sample with:
 * a run validates (and so creates) them before training, and every {@link Sampler} of the run (the
 * sample grids during training, the final samples) drives the same objects. They are handed a
 * {@link SamplerContext} whose score forwards to whatever score the current sampler binds for the
 * batch at hand (the counted score, or a guide's score of that batch) and, for a guided run, whose
 * hook forwards to that batch's guide hook.
 */
public final class SamplerPlugins {
    /** Runs one plugin's factory; the validator turns a plugin's complaint into an error at the line that chose it. */
    public interface Creation {
        <T> T create(String keyword, Supplier<T> factory);
    }

    private final SamplingMethod method;
    private final SampleSettings builtFor;
    private final BoundScore score = new BoundScore();
    private final BoundHook hook = new BoundHook();
    private SamplerContext context;
    private Predictor predictor;
    private Corrector corrector;
    private OdeSolver ode;
    private Solver solver;

    private SamplerPlugins(SamplingMethod method, SampleSettings builtFor) {
        this.method = method;
        this.builtFor = builtFor;
    }

    /**
     * Creates the method's plugins for these settings (steps, eps, denoising, probability flow).
     * @param guided whether a guide will drive them: only then does their context carry a step hook
     *               (unguided runs keep {@link StepHook#NONE}, so their arrays and bits are unchanged)
     */
    public static SamplerPlugins create(SamplingMethod method, Sde sde, SampleSettings settings, boolean guided, Creation creation) {
        SamplerPlugins p = new SamplerPlugins(method, settings);
        SamplerContext ctx = new SamplerContext(sde, p.score, settings.steps(), settings.eps(), settings.denoise(),
                settings.probabilityFlow(), guided ? p.hook : StepHook.NONE);
        p.context = ctx;
        if (method instanceof SamplingMethod.PredictorCorrector pc) {
            p.predictor = creation.create("predictor", () -> pc.predictor().plugin().create(pc.predictor().params(), ctx));
            p.corrector = creation.create("corrector", () -> pc.corrector().plugin().create(pc.corrector().params(), ctx));
        } else if (method instanceof SamplingMethod.ProbabilityFlowOde o) {
            p.ode = creation.create("ode", () -> o.solver().plugin().create(o.solver().params(), settings.steps()));
        } else if (method instanceof SamplingMethod.WholeTrajectory w) {
            p.solver = creation.create("solver", () -> w.solver().plugin().create(w.solver().params(), ctx));
        }
        return p;
    }

    /** Creates them with nothing between a plugin's complaint and the caller. */
    public static SamplerPlugins create(SamplingMethod method, Sde sde, SampleSettings settings, boolean guided) {
        return create(method, sde, settings, guided, new Creation() {
            @Override public <T> T create(String keyword, Supplier<T> factory) { return factory.get(); }
        });
    }

    public SamplingMethod method() { return method; }

    /** The one context the plugins were built with (its score and hook forward to the bound ones). */
    SamplerContext context() { return context; }

    /** Whether the plugins were created to be driven by a guide (their context has a forwarding hook). */
    boolean guided() { return context.hook() != StepHook.NONE; }

    /** Whether settings agree with the ones the plugins were created for in everything the plugins were given. */
    boolean fits(SampleSettings s) {
        return s.steps() == builtFor.steps() && s.eps() == builtFor.eps() && s.denoise() == builtFor.denoise()
                && s.probabilityFlow() == builtFor.probabilityFlow();
    }

    Predictor predictor() { return predictor; }

    Corrector corrector() { return corrector; }

    OdeSolver ode() { return ode; }

    Solver solver() { return solver; }

    /** The score (and, for a guided run, the step hook) the plugins call until {@link #unbind}. */
    void bind(ScoreFunction s, StepHook h) {
        score.target = s;
        hook.target = h;
    }

    void unbind() {
        score.target = null;
        hook.target = null;
    }

    private static final class BoundScore implements ScoreFunction {
        private ScoreFunction target;

        @Override
        public INDArray score(INDArray x, double t) {
            if (target == null) throw new IllegalStateException("a sampler plugin evaluated the score outside of sampling (while being created?)");
            return target.score(x, t);
        }
    }

    private static final class BoundHook implements StepHook {
        private StepHook target;

        @Override
        public Step afterStep(Step step, double t, Rng rng) {
            if (target == null) throw new IllegalStateException("a sampler plugin ran the step hook outside of sampling");
            return target.afterStep(step, t, rng);
        }
    }
}
