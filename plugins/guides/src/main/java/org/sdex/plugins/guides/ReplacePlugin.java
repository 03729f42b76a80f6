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
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.Svd;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sde.Sde;

/** {@code replace}: after every step put back the known part of x diffused to time t, in the operator's SVD basis (score_sde's get_pc_inpainter / get_pc_colorizer, Song et al. 2021, Sec. 5 and App. I). */
public final class ReplacePlugin implements GuidePlugin {
    @Override public String name() { return "replace"; }

    @Override
    public String description() {
        return "put back the observed part (spectral coordinates with a non-zero singular value) diffused to t after each step";
    }

    @Override public List<Param> parameters() { return List.of(); }

    @Override public Set<GuideNeed> needs(Params params) { return Set.of(GuideNeed.MEASUREMENT, GuideNeed.SVD); }

    @Override public boolean projects(Params params) { return true; }

    @Override
    public Guide create(Params params, GuideContext context) {
        Svd svd = ((LinearOperator) context.measurement().operator()).svd().orElseThrow();
        return new Replacement(context, svd, null);
    }

    /**
     * In spectral coordinates {@code c = Vᵀ x}, coordinate i &lt; m with {@code s_i > 0} is known from the
     * observation, {@code c_i = (Uᵀ y)_i / s_i}; for inpainting that is the observed pixels, for
     * colorization the gray component of score_sde's decoupling basis. After a step ending at t
     * the state's known coordinates become {@code alpha(t) c_i + sigma(t) z} and its mean's
     * {@code alpha(t) c_i}. Not exact even without measurement noise: the unknown coordinates see y only through
     * that draw at sigma(t) (the paper's p_t(x | y) ≈ p_t(x | y(t)), App. I.2), so where they fall into a mode
     * before sigma(t) is small enough for y to name it, the modes keep the prior's weights (guides.md).
     */
    private static final class Replacement implements Guide, StepHook {
        private final GuideContext context;
        private final Svd svd;
        private final INDArray known;       // [n]: 1 where the spectral coordinate is observed
        private final INDArray knownValues; // [count, n]: c_i = (Uᵀ y)_i / s_i, 0 elsewhere; null for the whole draw

        Replacement(GuideContext context, Svd svd, INDArray knownValues) {
            this.context = context;
            this.svd = svd;
            this.knownValues = knownValues;
            double[] s = svd.singularValues();
            double max = 0;
            for (double v : s) max = Math.max(max, v);
            double[] k = new double[inputSize(context)];
            for (int i = 0; i < s.length; i++) k[i] = s[i] > 1e-10 * max ? 1 : 0;
            known = Nd4j.createFromArray(k);
        }

        private static int inputSize(GuideContext context) {
            long total = 1;
            for (long d : context.measurement().operator().inputShape()) total *= d;
            return Math.toIntExact(total);
        }

        @Override
        public Guide rows(long first, int count) {
            INDArray cy = svd.ut(context.measurement().rows(first, count)).castTo(DataType.DOUBLE);
            double[] s = svd.singularValues();
            double[] inverse = new double[s.length];
            for (int i = 0; i < s.length; i++) inverse[i] = known.getDouble(i) > 0 ? 1 / s[i] : 0;
            INDArray c = Nd4j.zeros(DataType.DOUBLE, count, known.length());
            c.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.length)).assign(cy.mulRowVector(Nd4j.createFromArray(inverse)));
            return new Replacement(context, svd, c);
        }

        @Override public StepHook hook() { return this; }

        @Override
        public Step afterStep(Step step, double t, Rng rng) {
            Sde sde = context.sde();
            double alpha = sde.meanScale(t), sigma = sde.marginalStd(t);
            INDArray c = svd.vt(step.x());
            DataType type = c.dataType();
            INDArray keep = known.castTo(type).rsub(1.0);
            INDArray mask = known.castTo(type);
            INDArray meanPart = knownValues.castTo(type).mul(alpha); // castTo may return knownValues itself
            INDArray noisy = rng.normal(type, c.shape()).muli(sigma).addi(meanPart);
            INDArray x = svd.v(c.mulRowVector(keep).addi(noisy.mulRowVector(mask)));
            INDArray cm = step.mean() == step.x() ? c : svd.vt(step.mean());
            INDArray mean = svd.v(cm.mulRowVector(keep).addi(meanPart.mulRowVector(mask)));
            return new Step(x.castTo(step.x().dataType()), mean.castTo(step.x().dataType()));
        }
    }
}
