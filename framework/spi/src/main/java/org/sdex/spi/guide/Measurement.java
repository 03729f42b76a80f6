package org.sdex.spi.guide;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.operator.Operator;

/**
 * An observation {@code y = A(x) + n}, {@code n ~ N(0, noise^2 I)} (noise 0 allowed): the operator,
 * the observations (leading axis: one per sample of the draw, or a single one for all) and the noise std.
 */
public record Measurement(Operator operator, INDArray observations, double noise) {
    public Measurement {
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new IllegalArgumentException("measurement noise must be >= 0, got " + noise);
    }

    /** The observations of examples {@code [first, first + count)} as [count, output shape...]. */
    public INDArray rows(long first, int count) {
        if (observations.size(0) == 1) {
            long[] shape = observations.shape().clone();
            shape[0] = count;
            return observations.broadcast(shape).dup();
        }
        return observations.get(NDArrayIndex.interval(first, first + count)).dup();
    }
}
