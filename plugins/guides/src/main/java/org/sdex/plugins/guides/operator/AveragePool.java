package org.sdex.plugins.guides.operator;

/**
 * Average pooling over blocks of kh x kw pixels of each channel (super-resolution's measurement).
 * SVD per block: the Helmert basis, whose first vector is the uniform one {@code 1/√K} (singular
 * value {@code 1/√K}, K = kh kw) and whose others are orthogonal contrasts (null space). Spectral
 * coordinates: the uniform coordinate of every output pixel (in the output's order), then the j-th
 * contrast of every block for j = 1 .. K-1.
 */
final class AveragePool extends SpectralOperator {
    private final Grid grid;
    private final int kh, kw, k, ho, wo;
    private final double[][] helmert;

    AveragePool(Grid grid, long[] outputShape, int kh, int kw) {
        super(grid.shape(), outputShape);
        this.grid = grid;
        this.kh = kh;
        this.kw = kw;
        this.k = kh * kw;
        this.ho = grid.h() / kh;
        this.wo = grid.w() / kw;
        helmert = helmert(k);
    }

    /** Row 0 uniform; row j: j entries 1/√(j(j+1)), then -j/√(j(j+1)), then zeros. Orthonormal. */
    static double[][] helmert(int k) {
        double[][] q = new double[k][k];
        for (int e = 0; e < k; e++) q[0][e] = 1 / Math.sqrt(k);
        for (int j = 1; j < k; j++) {
            double norm = Math.sqrt((double) j * (j + 1));
            for (int e = 0; e < j; e++) q[j][e] = 1 / norm;
            q[j][j] = -j / norm;
        }
        return q;
    }

    /** Example index of entry e of the block under output pixel o. */
    private int at(int o, int e) {
        int ch = o / (ho * wo), rem = o % (ho * wo), i = rem / wo, j = rem % wo;
        return grid.index(ch, i * kh + e / kw, j * kw + e % kw);
    }

    @Override
    void forward(double[] x, double[] y) {
        for (int o = 0; o < m; o++) {
            double s = 0;
            for (int e = 0; e < k; e++) s += x[at(o, e)];
            y[o] = s / k;
        }
    }

    @Override
    void adjoint(double[] y, double[] x) {
        for (int o = 0; o < m; o++) for (int e = 0; e < k; e++) x[at(o, e)] = y[o] / k;
    }

    @Override
    void vt(double[] x, double[] c) {
        for (int q = 0; q < k; q++) {
            for (int o = 0; o < m; o++) {
                double s = 0;
                for (int e = 0; e < k; e++) s += helmert[q][e] * x[at(o, e)];
                c[q * m + o] = s;
            }
        }
    }

    @Override
    void v(double[] c, double[] x) {
        for (int o = 0; o < m; o++) {
            for (int e = 0; e < k; e++) {
                double s = 0;
                for (int q = 0; q < k; q++) s += helmert[q][e] * c[q * m + o];
                x[at(o, e)] = s;
            }
        }
    }

    @Override void ut(double[] y, double[] c) { System.arraycopy(y, 0, c, 0, m); }

    @Override void u(double[] c, double[] y) { System.arraycopy(c, 0, y, 0, m); }

    @Override
    public double[] singularValues() {
        double[] s = new double[m];
        java.util.Arrays.fill(s, 1 / Math.sqrt(k));
        return s;
    }
}
