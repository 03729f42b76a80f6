package org.sdex.toolkit.oracle;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How samples spread over a mixture's modes: the fraction of points whose most likely component
 * (by responsibility) is k, for each k. A sampler that finds every mode but weighs them wrongly
 * shows here and not in the moments.
 */
public final class ModeWeights {
    private ModeWeights() {}

    /** The fraction of the rows of x [n, d] assigned to each component of {@code gm}. */
    public static double[] of(GaussianMixture gm, INDArray x) {
        double[][] r = gm.responsibilities(x);
        double[] w = new double[gm.components()];
        for (double[] row : r) {
            int best = 0;
            for (int k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
            w[best] += 1.0 / r.length;
        }
        return w;
    }
}
