package org.sdex.toolkit.oracle;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * The sliced Wasserstein-1 distance between two point sets, the one number by which samplers are
 * compared with exact samples of the {@link GaussianMixture} oracle (in tests and in
 * {@code sdex bench samplers}). Projection directions come from the seed, so it is deterministic.
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {}

    /**
     * Sliced Wasserstein-1 distance between two equal-size point sets: the mean over random unit
     * directions of the 1-D Wasserstein distance of the projections (sorted differences).
     */
    public static double distance(INDArray a, INDArray b, int projections, long seed) {
        double[][] x = rows(a);
        double[][] y = rows(b);
        if (x.length != y.length) throw new IllegalArgumentException("point sets must have equal size");
        int d = x[0].length;
        Rng rng = new Rng(seed);
        double total = 0;
        double[] dir = new double[d];
        double[] px = new double[x.length];
        double[] py = new double[y.length];
        for (int p = 0; p < projections; p++) {
            rng.fillGaussian(dir, 0, d);
            double norm = 0;
            for (double v : dir) norm += v * v;
            norm = Math.sqrt(norm);
            for (int i = 0; i < x.length; i++) {
                double sx = 0, sy = 0;
                for (int j = 0; j < d; j++) {
                    sx += x[i][j] * dir[j];
                    sy += y[i][j] * dir[j];
                }
                px[i] = sx / norm;
                py[i] = sy / norm;
            }
            java.util.Arrays.sort(px);
            java.util.Arrays.sort(py);
            double s = 0;
            for (int i = 0; i < px.length; i++) s += Math.abs(px[i] - py[i]);
            total += s / px.length;
        }
        return total / projections;
    }

    private static double[][] rows(INDArray x) {
        long n = x.size(0);
        int d = (int) (x.length() / n);
        double[] flat = x.reshape(n, d).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[(int) n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, out[i], 0, d);
        return out;
    }
}
