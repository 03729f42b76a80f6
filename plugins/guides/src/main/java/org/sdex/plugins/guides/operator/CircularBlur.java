package org.sdex.plugins.guides.operator;

/**
 * A separable Gaussian blur with circular boundaries, the same kernel along H and W of each channel
 * (an axis of length 1 is left alone). A circulant symmetric matrix is diagonal in the real Fourier
 * basis, so the SVD is closed-form: V = F_H ⊗ F_W (cosines and sines), singular values
 * {@code |λ_a μ_b|} with λ, μ the kernel's cosine transforms, U = V diag(sign(λ_a μ_b)).
 */
final class CircularBlur extends SpectralOperator {
    private final Grid grid;
    private final double[] rowsKernel, colsKernel;  // circulant first rows along H and W
    private final double[][] fh, fw;               // real Fourier bases, basis vector per row
    private final double[] lh, lw;                 // their eigenvalues
    private final double[] singular, sign;

    CircularBlur(Grid grid, int size, double width) {
        super(grid.shape(), grid.shape());
        this.grid = grid;
        rowsKernel = circulant(grid.h(), size, width);
        colsKernel = circulant(grid.w(), size, width);
        fh = fourier(grid.h());
        fw = fourier(grid.w());
        lh = eigenvalues(rowsKernel, fh);
        lw = eigenvalues(colsKernel, fw);
        singular = new double[n];
        sign = new double[n];
        for (int ch = 0; ch < grid.c(); ch++) {
            for (int a = 0; a < grid.h(); a++) {
                for (int b = 0; b < grid.w(); b++) {
                    double l = lh[a] * lw[b];
                    int i = grid.index(ch, a, b);
                    singular[i] = Math.abs(l);
                    sign[i] = l < 0 ? -1 : 1;
                }
            }
        }
    }

    /** The wrapped, normalised Gaussian taps {@code c[d]} of a length-L circular axis (L = 1: no blur). */
    static double[] circulant(int length, int size, double width) {
        double[] c = new double[length];
        if (length == 1) {
            c[0] = 1;
            return c;
        }
        int r = size / 2;
        double total = 0;
        for (int k = -r; k <= r; k++) total += Math.exp(-0.5 * k * k / (width * width));
        for (int k = -r; k <= r; k++) c[Math.floorMod(k, length)] += Math.exp(-0.5 * k * k / (width * width)) / total;
        return c;
    }

    /** Orthonormal real Fourier basis of length L: constant, (cos, sin) pairs, and the alternating vector when L is even. */
    static double[][] fourier(int length) {
        double[][] f = new double[length][length];
        for (int j = 0; j < length; j++) f[0][j] = 1 / Math.sqrt(length);
        int row = 1;
        for (int freq = 1; 2 * freq < length; freq++) {
            for (int j = 0; j < length; j++) {
                double a = 2 * Math.PI * freq * j / length;
                f[row][j] = Math.sqrt(2.0 / length) * Math.cos(a);
                f[row + 1][j] = Math.sqrt(2.0 / length) * Math.sin(a);
            }
            row += 2;
        }
        if (length % 2 == 0 && length > 1) for (int j = 0; j < length; j++) f[row][j] = (j % 2 == 0 ? 1 : -1) / Math.sqrt(length);
        return f;
    }

    /** Eigenvalue of the symmetric circulant with first row c for each basis vector: the Rayleigh quotient. */
    private static double[] eigenvalues(double[] c, double[][] f) {
        int l = c.length;
        double[] out = new double[l];
        for (int q = 0; q < l; q++) {
            double s = 0;
            for (int i = 0; i < l; i++) {
                double ci = 0;
                for (int j = 0; j < l; j++) ci += c[Math.floorMod(j - i, l)] * f[q][j];
                s += f[q][i] * ci;
            }
            out[q] = s;
        }
        return out;
    }

    @Override
    void forward(double[] x, double[] y) {
        int h = grid.h(), w = grid.w();
        double[] tmp = new double[n];
        for (int ch = 0; ch < grid.c(); ch++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double s = 0;
                    for (int b = 0; b < w; b++) s += colsKernel[Math.floorMod(b - j, w)] * x[grid.index(ch, i, b)];
                    tmp[grid.index(ch, i, j)] = s;
                }
            }
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double s = 0;
                    for (int a = 0; a < h; a++) s += rowsKernel[Math.floorMod(a - i, h)] * tmp[grid.index(ch, a, j)];
                    y[grid.index(ch, i, j)] = s;
                }
            }
        }
    }

    /** The kernel is symmetric, so the operator is self-adjoint. */
    @Override void adjoint(double[] y, double[] x) { forward(y, x); }

    /** Analysis c = (F_H ⊗ F_W) x per channel, or synthesis x = (F_H ⊗ F_W)ᵀ c. */
    private void transform(double[] in, double[] out, boolean analysis) {
        int h = grid.h(), w = grid.w();
        double[] tmp = new double[n];
        for (int ch = 0; ch < grid.c(); ch++) {
            for (int i = 0; i < h; i++) {
                for (int q = 0; q < w; q++) {
                    double s = 0;
                    for (int b = 0; b < w; b++) s += (analysis ? fw[q][b] : fw[b][q]) * in[grid.index(ch, i, b)];
                    tmp[grid.index(ch, i, q)] = s;
                }
            }
            for (int p = 0; p < h; p++) {
                for (int q = 0; q < w; q++) {
                    double s = 0;
                    for (int a = 0; a < h; a++) s += (analysis ? fh[p][a] : fh[a][p]) * tmp[grid.index(ch, a, q)];
                    out[grid.index(ch, p, q)] = s;
                }
            }
        }
    }

    @Override void vt(double[] x, double[] c) { transform(x, c, true); }

    @Override void v(double[] c, double[] x) { transform(c, x, false); }

    @Override
    void ut(double[] y, double[] c) {
        transform(y, c, true);
        for (int i = 0; i < n; i++) c[i] *= sign[i];
    }

    @Override
    void u(double[] c, double[] y) {
        double[] signed = new double[n];
        for (int i = 0; i < n; i++) signed[i] = c[i] * sign[i];
        transform(signed, y, false);
    }

    @Override public double[] singularValues() { return singular.clone(); }
}
