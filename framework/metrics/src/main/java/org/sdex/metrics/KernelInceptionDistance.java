package org.sdex.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.random.Rng;

/**
 * The kernel distance of Bińkowski et al. 2018 ("KID"): the unbiased estimator of the squared
 * maximum mean discrepancy with the cubic polynomial kernel {@code k(x, y) = (x.y / d + 1)^3},
 * averaged over random subsets of equal size drawn from both sets, with the spread over subsets.
 * Unlike FID it is unbiased, so values at different sample sizes compare.
 */
public final class KernelInceptionDistance {
    private KernelInceptionDistance() {}

    /** The mean of the subsets' estimates, their standard deviation, and the standard error of the mean. */
    public record Result(double mean, double std, double standardError, int subsets, int subsetSize) {}

    /** Subsets of {@code min(subsetSize, n1, n2)} rows without replacement each, drawn from {@code rng}. */
    public static Result between(INDArray features1, INDArray features2, int subsets, int subsetSize, Rng rng) {
        INDArray x = features1.castTo(DataType.DOUBLE);
        INDArray y = features2.castTo(DataType.DOUBLE);
        if (x.size(1) != y.size(1)) throw new IllegalArgumentException("feature sizes differ");
        int m = (int) Math.min(subsetSize, Math.min(x.size(0), y.size(0)));
        if (m < 2) throw new IllegalArgumentException("need at least 2 features in each set");
        double[] values = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            INDArray xs = x.get(NDArrayIndex.indices(choose(rng, x.size(0), m, 2L * s)), NDArrayIndex.all());
            INDArray ys = y.get(NDArrayIndex.indices(choose(rng, y.size(0), m, 2L * s + 1)), NDArrayIndex.all());
            values[s] = unbiasedMmd2(xs, ys);
        }
        double mean = 0;
        for (double v : values) mean += v;
        mean /= subsets;
        double var = 0;
        for (double v : values) var += (v - mean) * (v - mean);
        double std = subsets > 1 ? Math.sqrt(var / (subsets - 1)) : 0;
        return new Result(mean, std, std / Math.sqrt(subsets), subsets, m);
    }

    /** The unbiased MMD^2 between two sets of m rows each (diagonals of the within-set kernels left out). */
    public static double unbiasedMmd2(INDArray x, INDArray y) {
        long m = x.size(0);
        long n = y.size(0);
        double d = x.size(1);
        INDArray kxx = cubic(x.mmul(x.transpose()), d);
        INDArray kyy = cubic(y.mmul(y.transpose()), d);
        INDArray kxy = cubic(x.mmul(y.transpose()), d);
        double sxx = kxx.sumNumber().doubleValue() - FrechetDistance.trace(kxx);
        double syy = kyy.sumNumber().doubleValue() - FrechetDistance.trace(kyy);
        return sxx / (m * (m - 1)) + syy / (n * (n - 1)) - 2 * kxy.sumNumber().doubleValue() / (m * n);
    }

    private static INDArray cubic(INDArray dots, double d) {
        INDArray k = dots.divi(d).addi(1);
        return k.mul(k).muli(k);
    }

    /** m distinct indices of [0, n), a partial Fisher-Yates shuffle on stream {@code stream} of {@code rng}. */
    private static long[] choose(Rng rng, long n, int m, long stream) {
        long[] idx = new long[(int) n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Rng r = rng.fork(stream);
        for (int i = 0; i < m; i++) {
            int j = i + (int) Math.min(n - 1 - i, (long) (r.nextDouble() * (n - i)));
            long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }
}
