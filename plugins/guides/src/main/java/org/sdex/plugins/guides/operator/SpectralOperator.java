package org.sdex.plugins.guides.operator;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.Svd;

/**
 * A linear operator given per example by its forward map, adjoint and SVD maps ({@link Svd}'s
 * convention); batches, dtypes and the pseudo-inverse {@code A⁺ y = V (Σ⁺ Uᵀ y)} come from here.
 */
abstract class SpectralOperator implements LinearOperator, Svd {
    /** Singular values below this fraction of the largest count as zero in the pseudo-inverse. */
    static final double RANK_TOLERANCE = 1e-10;

    final long[] inputShape, outputShape;
    final int n, m;

    SpectralOperator(long[] inputShape, long[] outputShape) {
        this.inputShape = inputShape.clone();
        this.outputShape = outputShape.clone();
        this.n = size(inputShape);
        this.m = size(outputShape);
    }

    abstract void forward(double[] x, double[] y);

    abstract void adjoint(double[] y, double[] x);

    abstract void vt(double[] x, double[] c);

    abstract void v(double[] c, double[] x);

    abstract void ut(double[] y, double[] c);

    abstract void u(double[] c, double[] y);

    @Override public long[] inputShape() { return inputShape.clone(); }

    @Override public long[] outputShape() { return outputShape.clone(); }

    @Override public INDArray forward(INDArray x) { return PerExample.map(x, n, outputShape, this::forward); }

    @Override public INDArray adjoint(INDArray y) { return PerExample.map(y, m, inputShape, this::adjoint); }

    @Override
    public INDArray pseudoInverse(INDArray y) {
        double[] s = singularValues();
        double max = 0;
        for (double v : s) max = Math.max(max, v);
        double floor = max * RANK_TOLERANCE;
        double[] c = new double[n];
        double[] cy = new double[m];
        return PerExample.map(y, m, inputShape, (in, out) -> {
            ut(in, cy);
            java.util.Arrays.fill(c, 0);
            for (int i = 0; i < m; i++) c[i] = s[i] > floor ? cy[i] / s[i] : 0;
            v(c, out);
        });
    }

    @Override public Optional<Svd> svd() { return Optional.of(this); }

    @Override public INDArray vt(INDArray x) { return PerExample.map(x, n, new long[] {n}, this::vt); }

    @Override public INDArray v(INDArray c) { return PerExample.map(c, n, inputShape, this::v); }

    @Override public INDArray ut(INDArray y) { return PerExample.map(y, m, new long[] {m}, this::ut); }

    @Override public INDArray u(INDArray c) { return PerExample.map(c, m, outputShape, this::u); }

    static int size(long[] shape) {
        int s = 1;
        for (long d : shape) s = Math.multiplyExact(s, Math.toIntExact(d));
        return s;
    }
}
