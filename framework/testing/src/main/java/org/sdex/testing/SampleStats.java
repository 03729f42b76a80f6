package org.sdex.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.ModeWeights;
import org.sdex.toolkit.oracle.SlicedWasserstein;

/** Statistics for comparing samples with a known distribution: moments, mode weights, sliced Wasserstein. */
public final class SampleStats {
    private SampleStats() {}

    public static double[][] rows(INDArray x) {
        // one bulk copy: INDArray.toDoubleMatrix copies row by row and costs ~0.3 s for 10^4 rows
        int n = (int) x.size(0), d = (int) (x.length() / n);
        double[] flat = x.castTo(DataType.DOUBLE).dup('c').reshape(x.length()).toDoubleVector();
        double[][] out = new double[n][];
        for (int b = 0; b < n; b++) out[b] = java.util.Arrays.copyOfRange(flat, b * d, (b + 1) * d);
        return out;
    }

    public static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] r : x) for (int i = 0; i < m.length; i++) m[i] += r[i];
        for (int i = 0; i < m.length; i++) m[i] /= x.length;
        return m;
    }

    public static double[][] covariance(double[][] x) {
        double[] m = mean(x);
        int d = m.length;
        double[][] c = new double[d][d];
        for (double[] r : x) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] += (r[i] - m[i]) * (r[j] - m[j]);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] /= x.length - 1;
        return c;
    }

    /** Fraction of points whose most likely mixture component is k (hard assignment by responsibility). */
    public static double[] modeWeights(GaussianMixture gm, INDArray x) {
        return ModeWeights.of(gm, x);
    }

    /** Mean and covariance of the points assigned (by max responsibility) to component k. */
    public static double[][] componentRows(GaussianMixture gm, INDArray x, int k) {
        double[][] r = gm.responsibilities(x);
        double[][] all = rows(x);
        java.util.List<double[]> out = new java.util.ArrayList<>();
        for (int b = 0; b < all.length; b++) {
            int best = 0;
            for (int q = 1; q < r[b].length; q++) if (r[b][q] > r[b][best]) best = q;
            if (best == k) out.add(all[b]);
        }
        return out.toArray(double[][]::new);
    }

    /** Sliced Wasserstein-1 distance between two equal-size point sets ({@link SlicedWasserstein}). */
    public static double slicedWasserstein(INDArray a, INDArray b, int projections, long seed) {
        return SlicedWasserstein.distance(a, b, projections, seed);
    }
}
