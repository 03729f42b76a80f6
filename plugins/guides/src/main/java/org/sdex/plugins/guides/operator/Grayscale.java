package org.sdex.plugins.guides.operator;

/**
 * RGB to gray, {@code y = (r + g + b) / 3} per pixel, [3, H, W] to [1, H, W]. Its SVD uses the
 * orthogonal decoupling basis of score_sde's colorizer (Song et al. 2021, App. I.3): per pixel the
 * columns {@code (1,1,1)/√3, (-2,1,1)/√6, (0,-1,1)/√2}; the first is what the gray value sees, with
 * singular value 1/√3, the other two are its null space.
 */
final class Grayscale extends SpectralOperator {
    /** basis[channel][j]: column j of the decoupling matrix. */
    static final double[][] BASIS = {
            {1 / Math.sqrt(3), -2 / Math.sqrt(6), 0},
            {1 / Math.sqrt(3), 1 / Math.sqrt(6), -1 / Math.sqrt(2)},
            {1 / Math.sqrt(3), 1 / Math.sqrt(6), 1 / Math.sqrt(2)}};

    private final int pixels;

    Grayscale(long[] inputShape, long[] outputShape, int pixels) {
        super(inputShape, outputShape);
        this.pixels = pixels;
    }

    @Override
    void forward(double[] x, double[] y) {
        for (int p = 0; p < pixels; p++) y[p] = (x[p] + x[pixels + p] + x[2 * pixels + p]) / 3;
    }

    @Override
    void adjoint(double[] y, double[] x) {
        for (int ch = 0; ch < 3; ch++) for (int p = 0; p < pixels; p++) x[ch * pixels + p] = y[p] / 3;
    }

    @Override
    void vt(double[] x, double[] c) {
        for (int j = 0; j < 3; j++) {
            for (int p = 0; p < pixels; p++) {
                c[j * pixels + p] = BASIS[0][j] * x[p] + BASIS[1][j] * x[pixels + p] + BASIS[2][j] * x[2 * pixels + p];
            }
        }
    }

    @Override
    void v(double[] c, double[] x) {
        for (int ch = 0; ch < 3; ch++) {
            for (int p = 0; p < pixels; p++) {
                x[ch * pixels + p] = BASIS[ch][0] * c[p] + BASIS[ch][1] * c[pixels + p] + BASIS[ch][2] * c[2 * pixels + p];
            }
        }
    }

    @Override void ut(double[] y, double[] c) { System.arraycopy(y, 0, c, 0, pixels); }

    @Override void u(double[] c, double[] y) { System.arraycopy(c, 0, y, 0, pixels); }

    @Override
    public double[] singularValues() {
        double[] s = new double[pixels];
        java.util.Arrays.fill(s, 1 / Math.sqrt(3));
        return s;
    }
}
