package org.sdex.spi.operator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A measurement operator A of an inverse problem, {@code y = A(x) + n}, acting on a batch (leading
 * axis) of examples. Possibly non-linear: what DPS-style guides need is the forward map and its
 * vector-Jacobian product. Linear operators are {@link LinearOperator}s.
 */
public interface Operator {
    /** Shape of one example x. */
    long[] inputShape();

    /** Shape of one measurement A(x). */
    long[] outputShape();

    /** A(x) for each row, [B, output shape...]; a new array. */
    INDArray forward(INDArray x);

    /** {@code v^T ∂A/∂x} at x for each row: [B, input shape...] from v [B, output shape...]. */
    INDArray vjp(INDArray x, INDArray v);
}
