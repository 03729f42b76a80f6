package org.sdex.plugins.guides.operator;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.spi.operator.Operator;

/**
 * {@code A(x) = |x|} per coordinate: the real-valued analogue of phase retrieval (the sign is lost),
 * a non-linear operator with a multi-modal posterior. Its VJP is {@code v ⊙ sign(x)}.
 */
final class Magnitude implements Operator {
    private final long[] shape;

    Magnitude(long[] shape) { this.shape = shape.clone(); }

    @Override public long[] inputShape() { return shape.clone(); }

    @Override public long[] outputShape() { return shape.clone(); }

    @Override public INDArray forward(INDArray x) { return Transforms.abs(x, true); }

    @Override public INDArray vjp(INDArray x, INDArray v) { return Transforms.sign(x, true).muli(v); }
}
