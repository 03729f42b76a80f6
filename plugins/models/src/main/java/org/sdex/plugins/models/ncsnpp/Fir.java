package org.sdex.plugins.models.ncsnpp;

/**
 * FIR resampling filters and the padding arithmetic of the reference's up_or_down_sampling.py
 * (ported there from StyleGAN2): {@code upsample_2d}, {@code downsample_2d}, {@code
 * upsample_conv_2d} and {@code conv_downsample_2d}, all expressed with {@code upfirdn2d(x, k, up,
 * down, pad0, pad1)}: insert {@code up - 1} zeros after every pixel, pad with zeros, convolve
 * (a true convolution: the kernel is flipped) each channel with k and keep every
 * {@code down}-th pixel.
 */
final class Fir {
    /** Resampling factor of every NCSN++ resampling layer. */
    static final int FACTOR = 2;

    private Fir() {}

    /** The reference's {@code _setup_kernel}: outer(k, k) normalised to sum 1, times {@code gain}. */
    static double[][] kernel2d(double[] k, double gain) {
        double sum = 0;
        for (double a : k) for (double b : k) sum += a * b;
        double[][] out = new double[k.length][k.length];
        for (int i = 0; i < k.length; i++) {
            for (int j = 0; j < k.length; j++) out[i][j] = k[i] * k[j] / sum * gain;
        }
        return out;
    }

    /** One upfirdn2d call: the kernel with its gain, the factors and the padding before/after (same on both axes). */
    record Plan(double[][] kernel, int up, int down, int pad0, int pad1) {
        /** Output size along one axis for an input of {@code n}, as upfirdn2d_native computes it. */
        long out(long n) { return Math.floorDiv(n * up + pad0 + pad1 - kernel.length, down) + 1; }
    }

    /** {@code upsample_2d(x, k, factor=2)}: zero insertion and filtering with gain factor^2. */
    static Plan upsample(double[] k) {
        int p = k.length - FACTOR;
        return new Plan(kernel2d(k, FACTOR * FACTOR), FACTOR, 1, Math.floorDiv(p + 1, 2) + FACTOR - 1, Math.floorDiv(p, 2));
    }

    /** {@code downsample_2d(x, k, factor=2)}: filtering, then every second pixel. */
    static Plan downsample(double[] k) {
        int p = k.length - FACTOR;
        return new Plan(kernel2d(k, 1), 1, FACTOR, Math.floorDiv(p + 1, 2), Math.floorDiv(p, 2));
    }

    /**
     * The filter after the stride-2 transposed convolution of {@code upsample_conv_2d} with a
     * {@code convSize} kernel: output of the transposed conv is {@code 2n + convSize - 2} wide, this
     * filters it back to {@code 2n}.
     */
    static Plan afterTransposedConv(double[] k, int convSize) {
        int p = (k.length - FACTOR) - (convSize - 1);
        return new Plan(kernel2d(k, FACTOR * FACTOR), 1, 1, Math.floorDiv(p + 1, 2) + FACTOR - 1, Math.floorDiv(p, 2) + 1);
    }

    /** The filter before the stride-2 valid convolution of {@code conv_downsample_2d} with a {@code convSize} kernel. */
    static Plan beforeStridedConv(double[] k, int convSize) {
        int p = (k.length - FACTOR) + (convSize - 1);
        return new Plan(kernel2d(k, 1), 1, 1, Math.floorDiv(p + 1, 2), Math.floorDiv(p, 2));
    }
}
