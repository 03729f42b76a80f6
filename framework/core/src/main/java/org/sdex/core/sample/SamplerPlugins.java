package org.sdex.core.sample;

import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SolverContext;
import org.sdex.spi.sde.Sde;

/**
 * The plugin objects of one way of sampling, created once, before there is a score to sample with:
 * a run validates (and so creates) them before training, and every {@link Sampler} of the run (the
 * sample grids during training, the final samples) drives the same objects. They are handed a
 * {@link ScoreFunction} that forwards to whatever score the current sampler binds.
 */
public final class SamplerPlugins {
    /** Runs one plugin's factory; the validator turns a plugin's complaint into an error at the line that chose it. */
    public interface Creation {
        <T> T create(String keyword, Supplier<T> factory);
    }

    private final SamplingMethod method;
    private final SampleSettings builtFor;
    private final BoundScore score = new BoundScore();
    private Predictor predictor;
    private Corrector corrector;
    private OdeSolver ode;
    private Solver solver;

    private SamplerPlugins(SamplingMethod method, SampleSettings builtFor) {
        this.method = method;
        this.builtFor = builtFor;
    }

    /** Creates the method's plugins for these settings (steps, eps, denoising, probability flow). */
    public static SamplerPlugins create(SamplingMethod method, Sde sde, SampleSettings settings, Creation creation) {
        SamplerPlugins p = new SamplerPlugins(method, settings);
        if (method instanceof SamplingMethod.PredictorCorrector pc) {
            SamplerContext ctx = new SamplerContext(sde, p.score, settings.steps(), settings.probabilityFlow());
            p.predictor = creation.create("predictor", () -> pc.predictor().plugin().create(pc.predictor().params(), ctx));
            p.corrector = creation.create("corrector", () -> pc.corrector().plugin().create(pc.corrector().params(), ctx));
        } else if (method instanceof SamplingMethod.ProbabilityFlowOde o) {
            p.ode = creation.create("ode", () -> o.solver().plugin().create(o.solver().params(), settings.steps()));
        } else if (method instanceof SamplingMethod.WholeTrajectory w) {
            SolverContext ctx = new SolverContext(sde, p.score, settings.steps(), settings.eps(), settings.denoise());
            p.solver = creation.create("solver", () -> w.solver().plugin().create(w.solver().params(), ctx));
        }
        return p;
    }

    /** Creates them with nothing between a plugin's complaint and the caller. */
    public static SamplerPlugins create(SamplingMethod method, Sde sde, SampleSettings settings) {
        return create(method, sde, settings, new Creation() {
            @Override public <T> T create(String keyword, Supplier<T> factory) { return factory.get(); }
        });
    }

    public SamplingMethod method() { return method; }

    /** Whether settings agree with the ones the plugins were created for in everything the plugins were given. */
    boolean fits(SampleSettings s) {
        return s.steps() == builtFor.steps() && s.eps() == builtFor.eps() && s.denoise() == builtFor.denoise()
                && s.probabilityFlow() == builtFor.probabilityFlow();
    }

    Predictor predictor() { return predictor; }

    Corrector corrector() { return corrector; }

    OdeSolver ode() { return ode; }

    Solver solver() { return solver; }

    /** The score the plugins call until {@link #unbind}. */
    void bind(ScoreFunction s) { score.target = s; }

    void unbind() { score.target = null; }

    private static final class BoundScore implements ScoreFunction {
        private ScoreFunction target;

        @Override
        public INDArray score(INDArray x, double t) {
            if (target == null) throw new IllegalStateException("a sampler plugin evaluated the score outside of sampling (while being created?)");
            return target.score(x, t);
        }
    }
}
