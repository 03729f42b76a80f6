package org.sdex.spi.operator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The singular value decomposition {@code A = U Σ Vᵀ} of a linear operator from n input values to
 * m &lt;= n output values, as matrix-free maps (the convention of DDRM's H-functions, Kawar et al. 2022):
 * {@code A x = U (s ⊙ (Vᵀ x)[0, m))}, i.e. spectral coordinate i &lt; m pairs with singular value
 * {@code s[i]} (which may be 0) and the coordinates from m on are in A's null space.
 */
public interface Svd {
    /** Vᵀ x: [B, n] spectral coordinates of [B, input shape...]. */
    INDArray vt(INDArray x);

    /** V c: [B, input shape...] from [B, n]. */
    INDArray v(INDArray c);

    /** Uᵀ y: [B, m] from [B, output shape...]. */
    INDArray ut(INDArray y);

    /** U c: [B, output shape...] from [B, m]. */
    INDArray u(INDArray c);

    /** The m singular values (non-negative), in the order of the first m spectral coordinates. */
    double[] singularValues();
}
