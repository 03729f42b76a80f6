package org.sdex.core.quality;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Full-reference image quality of reconstructions against ground truth, per image, on pixels in
 * [0, 1] (data range 1; the reconstruction is clipped to it first, as an image would be saved).
 * PSNR = 10 log10(1 / MSE). SSIM as Wang et al. 2004: an 11x11 Gaussian window with sigma 1.5,
 * C1 = 0.01², C2 = 0.03², averaged over the positions where the window fits and over channels.
 */
public final class ImageQuality {
    private ImageQuality() {}

    static final int WINDOW = 11;
    static final double SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    /** PSNR in dB of each image of {@code x} [N, C, H, W] against {@code reference} (both in [0, 1]); infinite for a perfect match. */
    public static double[] psnr(INDArray x, INDArray reference) {
        double[][] a = rows(x, true), b = rows(reference, false);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double se = 0;
            for (int j = 0; j < a[i].length; j++) se += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
            out[i] = 10 * Math.log10(a[i].length / se);
        }
        return out;
    }

    /** Whether SSIM is defined for images of h x w pixels: the window fits. */
    public static boolean ssimFits(long h, long w) { return h >= WINDOW && w >= WINDOW; }

    /** SSIM of each image of {@code x} [N, C, H, W] against {@code reference} (both in [0, 1]); 1 for identical images. */
    public static double[] ssim(INDArray x, INDArray reference) {
        int c = (int) x.size(1), h = (int) x.size(2), w = (int) x.size(3);
        if (!ssimFits(h, w)) throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW + " pixels");
        double[][] a = rows(x, true), b = rows(reference, false);
        double[] kernel = gaussian();
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double sum = 0;
            for (int ch = 0; ch < c; ch++) sum += channel(a[i], b[i], ch * h * w, h, w, kernel);
            out[i] = sum / c;
        }
        return out;
    }

    /** Mean SSIM of one channel over the window positions that fit inside the image. */
    private static double channel(double[] a, double[] b, int base, int h, int w, double[] k) {
        double total = 0;
        int count = 0;
        for (int y0 = 0; y0 + WINDOW <= h; y0++) {
            for (int x0 = 0; x0 + WINDOW <= w; x0++) {
                double ma = 0, mb = 0, aa = 0, bb = 0, ab = 0;
                for (int dy = 0; dy < WINDOW; dy++) {
                    for (int dx = 0; dx < WINDOW; dx++) {
                        double g = k[dy] * k[dx];
                        int p = base + (y0 + dy) * w + x0 + dx;
                        ma += g * a[p];
                        mb += g * b[p];
                        aa += g * a[p] * a[p];
                        bb += g * b[p] * b[p];
                        ab += g * a[p] * b[p];
                    }
                }
                double va = aa - ma * ma, vb = bb - mb * mb, cov = ab - ma * mb;
                total += (2 * ma * mb + C1) * (2 * cov + C2) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
                count++;
            }
        }
        return total / count;
    }

    private static double[] gaussian() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - WINDOW / 2;
            k[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) k[i] /= sum;
        return k;
    }

    private static double[][] rows(INDArray images, boolean clip) {
        if (images.rank() != 4) throw new IllegalArgumentException("images [N, C, H, W] expected, got rank " + images.rank());
        int n = (int) images.size(0), per = (int) (images.length() / n);
        double[] v = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[n][per];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) out[i][j] = clip ? Math.max(0, Math.min(1, v[i * per + j])) : v[i * per + j];
        }
        return out;
    }
}
