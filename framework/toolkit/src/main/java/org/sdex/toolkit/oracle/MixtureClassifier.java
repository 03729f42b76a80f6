package org.sdex.toolkit.oracle;

import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.guide.NoisyClassifier;
import org.sdex.spi.sde.Sde;

/**
 * The exact noise-conditional classifier of a Gaussian mixture whose classes are its components:
 * {@code p_t(k | x)} is the responsibility of component k under the mixture diffused to time t, and
 * {@code ∇_x log p_t(k | x) = a_k(x) - s(x)}, component k's diffused score minus the mixture's.
 * It also gives the class-conditional score {@code a_k(x) = ∇_x log p_t(x | k)}, the exact
 * counterpart of a label-conditioned network (classifier-free guidance).
 */
public final class MixtureClassifier implements NoisyClassifier {
    private final GaussianMixture data;
    private final GaussianMixture[] components;
    private final Sde sde;

    public MixtureClassifier(GaussianMixture data, Sde sde) {
        this.data = data;
        this.sde = sde;
        components = new GaussianMixture[data.components()];
        for (int k = 0; k < components.length; k++) {
            components[k] = new GaussianMixture(new double[] {1}, new double[][] {data.mean(k)}, new double[][][] {data.covariance(k)});
        }
    }

    @Override public int classes() { return components.length; }

    /** log p_t(k | x) for each row: the log-responsibilities (normalised logits). */
    @Override
    public INDArray logits(INDArray x, double t) {
        double[][] r = data.at(sde, t).responsibilities(x);
        double[] flat = new double[r.length * components.length];
        for (int b = 0; b < r.length; b++) for (int k = 0; k < components.length; k++) flat[b * components.length + k] = Math.log(r[b][k]);
        return Nd4j.create(flat, new long[] {r.length, components.length}, DataType.DOUBLE);
    }

    @Override
    public INDArray gradLogProbability(INDArray x, double t, int[] labels) {
        return componentScore(x, t, labels).subi(data.at(sde, t).score(x));
    }

    /** {@code ∇_x log p_t(x | labels[i])} for each row i: the score of that component's diffused Gaussian. */
    public INDArray componentScore(INDArray x, double t, int[] labels) {
        return byLabel(x, labels, k -> components[k].at(sde, t).score(x));
    }

    /** Row i of {@code perLabel.apply(labels[i])}, each label's array computed once. */
    private static INDArray byLabel(INDArray x, int[] labels, Function<Integer, INDArray> perLabel) {
        if (labels.length != x.size(0)) throw new IllegalArgumentException("one label per row: " + labels.length + " labels, " + x.size(0) + " rows");
        INDArray out = null;
        java.util.Map<Integer, INDArray> done = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            INDArray all = done.computeIfAbsent(labels[i], perLabel);
            if (out == null) out = Nd4j.createUninitialized(all.dataType(), all.shape());
            out.slice(i).assign(all.slice(i));
        }
        return out;
    }
}
