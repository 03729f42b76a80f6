package org.sdex.plugins.guides.operator;

/**
 * {@code A = diag(mask)}: the observed coordinates pass, the others read 0 (the measurement keeps
 * the example's shape, zero-filled). Its SVD is a permutation: spectral coordinates are the
 * observed values first (singular value 1), then the missing ones (0). The identity when every
 * coordinate is observed.
 */
final class Selection extends SpectralOperator {
    private final boolean[] observed;
    private final int[] order; // spectral coordinate j -> example coordinate
    private final double[] singular;

    Selection(long[] shape, boolean[] observed) {
        super(shape, shape);
        this.observed = observed.clone();
        order = new int[n];
        singular = new double[n];
        int j = 0;
        for (int i = 0; i < n; i++) if (observed[i]) { singular[j] = 1; order[j++] = i; }
        for (int i = 0; i < n; i++) if (!observed[i]) order[j++] = i;
    }

    @Override void forward(double[] x, double[] y) { for (int i = 0; i < n; i++) y[i] = observed[i] ? x[i] : 0; }

    @Override void adjoint(double[] y, double[] x) { forward(y, x); }

    @Override void vt(double[] x, double[] c) { for (int j = 0; j < n; j++) c[j] = x[order[j]]; }

    @Override void v(double[] c, double[] x) { for (int j = 0; j < n; j++) x[order[j]] = c[j]; }

    @Override void ut(double[] y, double[] c) { vt(y, c); }

    @Override void u(double[] c, double[] y) { v(c, y); }

    @Override public double[] singularValues() { return singular.clone(); }
}
