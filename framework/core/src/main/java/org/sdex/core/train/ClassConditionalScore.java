package org.sdex.core.train;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;

/**
 * The score of a class-conditional network, preconditioned as {@link PreconditionedScore}: given a
 * class, the network's class embedding; without one ({@link #score(INDArray, double)}, and the
 * input VJP that likelihoods and DPS use), the null label the network learnt by label dropout,
 * which is the unconditional score of classifier-free guidance.
 */
record ClassConditionalScore(PreconditionedScore unconditional) implements DifferentiableScore, ConditionalScore {
    @Override
    public INDArray score(INDArray x, double t) { return unconditional.score(x, t); }

    @Override
    public INDArray vjp(INDArray x, double t, INDArray v) { return unconditional.vjp(x, t, v); }

    @Override
    public INDArray score(INDArray x, double t, int[] labels) {
        if (labels.length != x.size(0)) throw new IllegalArgumentException(labels.length + " labels for " + x.size(0) + " rows");
        int classes = classes();
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("class labels must be in [0, " + classes + "), got " + label
                        + " (in " + Arrays.toString(Arrays.copyOf(labels, Math.min(labels.length, 8))) + ")");
            }
        }
        return unconditional.score(x, t, Nd4j.createFromArray(labels));
    }

    @Override
    public int classes() { return unconditional.net().classes(); }
}
