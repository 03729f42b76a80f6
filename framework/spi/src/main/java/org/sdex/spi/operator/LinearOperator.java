package org.sdex.spi.operator;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A linear measurement operator: forward A, adjoint Aᵀ, pseudo-inverse A⁺ and, where known, its SVD. */
public interface LinearOperator extends Operator {
    /** Aᵀ y for each row: [B, input shape...]. */
    INDArray adjoint(INDArray y);

    /** The Moore-Penrose pseudo-inverse A⁺ y for each row (the least-norm least-squares solution). */
    INDArray pseudoInverse(INDArray y);

    /** The singular value decomposition, when the operator has one in closed form. */
    default Optional<Svd> svd() { return Optional.empty(); }

    @Override
    default INDArray vjp(INDArray x, INDArray v) { return adjoint(v); }
}
