package org.sdex.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's semantics, which the reference trains with:
 * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code w -= lr / (1 - b1^k) * m / (sqrt(v) / sqrt(1 - b2^k) + eps)} at step k, and weight decay as
 * an L2 term added to the gradient. Also the reference's learning-rate warm-up and PyTorch's
 * global-norm gradient clipping. Everything is updated in place, since allocations and
 * element-wise ops are what an optimizer step costs in ND4J.
 */
public final class Adam {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long steps;

    /** Zero moments shaped like {@code weights}. */
    public Adam(double beta1, double beta2, double eps, double weightDecay, Map<String, INDArray> weights) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        weights.forEach((k, w) -> {
            m.put(k, w.ulike().assign(0));
            v.put(k, w.ulike().assign(0));
        });
    }

    /**
     * One update of every weight with learning rate {@code lr}. The gradients are used as scratch
     * space and hold garbage afterwards.
     */
    public void step(Map<String, INDArray> weights, Map<String, INDArray> gradients, double lr) {
        steps++;
        // libnd4j's fused adam_updater computes lr sqrt(1-b2^k)/(1-b1^k) m / (sqrt(v) + eps'); with
        // eps' = eps sqrt(1-b2^k) that is exactly PyTorch's lr/(1-b1^k) m / (sqrt(v)/sqrt(1-b2^k) + eps).
        // One native call per tensor instead of a dozen element-wise ops.
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, steps));
        // the op replaces a zero step size by eps, so a zero lr takes the update with lr 1 and drops it
        double opLr = lr == 0 ? 1 : lr;
        for (Map.Entry<String, INDArray> e : m.entrySet()) {
            String name = e.getKey();
            INDArray w = weights.get(name);
            INDArray g = gradients.get(name);
            if (w == null || g == null) throw new IllegalArgumentException("no weight or gradient for '" + name + "'");
            if (weightDecay != 0) Nd4j.exec(new Axpy(w, g, g, weightDecay)); // g += wd w, without a copy of w
            Nd4j.exec(new AdamUpdater(g, v.get(name), e.getValue(), opLr, beta1, beta2, eps * sqrtBc2,
                    Math.toIntExact(steps - 1)));
            if (lr != 0) w.subi(g);
        }
    }

    /** The same update written out element-wise (the definition the fused op is tested against). */
    void referenceStep(Map<String, INDArray> weights, Map<String, INDArray> gradients, double lr) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, steps));
        for (Map.Entry<String, INDArray> e : m.entrySet()) {
            String name = e.getKey();
            INDArray w = weights.get(name);
            INDArray g = gradients.get(name);
            INDArray mk = e.getValue();
            INDArray vk = v.get(name);
            INDArray s = w.ulike();
            if (weightDecay != 0) g.addi(s.assign(w).muli(weightDecay));
            mk.muli(beta1).addi(s.assign(g).muli(1 - beta1));
            vk.muli(beta2).addi(g.muli(g).muli(1 - beta2));
            Transforms.sqrt(s.assign(vk), false).divi(sqrtBc2).addi(eps).rdivi(mk);
            w.subi(s.muli(lr / bc1));
        }
    }

    /** Number of updates taken (k in the bias corrections). */
    public long steps() { return steps; }

    /** First moments by weight name (live arrays). */
    public Map<String, INDArray> firstMoments() { return Collections.unmodifiableMap(m); }

    /** Second moments by weight name (live arrays). */
    public Map<String, INDArray> secondMoments() { return Collections.unmodifiableMap(v); }

    /** Restores the state saved in a checkpoint. */
    public void restore(long steps, Map<String, INDArray> first, Map<String, INDArray> second) {
        this.steps = steps;
        m.forEach((k, a) -> a.assign(first.get(k)));
        v.forEach((k, a) -> a.assign(second.get(k)));
    }

    /**
     * Learning rate for the {@code step}-th update (1-based): linear warm-up
     * {@code lr * min(step / warmup, 1)}, constant lr when warmup is 0. The reference evaluates this
     * at the 0-based step, so its very first update has lr 0; here the first update already moves.
     */
    public static double learningRate(double lr, int warmup, long step) {
        return warmup > 0 ? lr * Math.min((double) step / warmup, 1.0) : lr;
    }

    /**
     * With {@code cosine} decay: after the warm-up, {@code lr (1 + cos(pi p)) / 2} where p goes from 0
     * after the warm-up to 1 at step {@code steps}, so the last updates are small and the final
     * weights settle instead of jittering at the full rate; {@code none} is {@link #learningRate}.
     */
    public static double learningRate(double lr, int warmup, long step, String decay, long steps) {
        if (!decay.equals("cosine") || step <= warmup || steps <= warmup) return learningRate(lr, warmup, step);
        double p = (double) (step - warmup) / (steps - warmup);
        return lr * 0.5 * (1 + Math.cos(Math.PI * p));
    }

    /**
     * PyTorch's {@code clip_grad_norm_}: when the global L2 norm of all gradients exceeds
     * {@code max}, scales them by {@code max / (norm + 1e-6)}. {@code max = 0} means no clipping.
     * Returns the norm before clipping.
     */
    public static double clipGlobalNorm(Map<String, INDArray> gradients, double max) {
        double sq = 0;
        for (INDArray g : gradients.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        if (max > 0) {
            double coef = max / (norm + 1e-6);
            if (coef < 1) for (INDArray g : gradients.values()) g.muli(coef);
        }
        return norm;
    }
}
