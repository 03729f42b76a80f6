package org.sdex.plugins.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded image into {@code channels} planes of {@code size x size} bytes: the largest
 * centred square is cropped, then resampled separably, with area averaging (each output pixel the
 * mean of the source area it covers, fractions weighted) when shrinking and bilinear interpolation
 * (pixel centres, edges clamped) when enlarging. Grey sources are read as stored (not through
 * colour-space conversion); colour to grey is the ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B, grey to
 * colour repeats the value. Alpha is ignored.
 */
final class Resampler {
    private final int size;
    private final int channels;

    Resampler(int size, int channels) {
        this.size = size;
        this.channels = channels;
    }

    /** Writes {@code channels * size * size} bytes at {@code out[off..]}. */
    void convert(BufferedImage img, byte[] out, int off) {
        int w = img.getWidth();
        int h = img.getHeight();
        int side = Math.min(w, h);
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        float[][] planes = planes(img, x0, y0, side);
        Weights weights = new Weights(side, size);
        float[] tmp = new float[side * size];
        for (int c = 0; c < channels; c++) {
            float[] src = planes[c];
            // horizontal: side rows x size columns
            for (int y = 0; y < side; y++) {
                for (int o = 0; o < size; o++) {
                    float acc = 0;
                    int s = weights.start[o];
                    float[] wt = weights.w[o];
                    for (int k = 0; k < wt.length; k++) acc += wt[k] * src[y * side + s + k];
                    tmp[y * size + o] = acc;
                }
            }
            // vertical: size rows x size columns
            int base = off + c * size * size;
            for (int o = 0; o < size; o++) {
                int s = weights.start[o];
                float[] wt = weights.w[o];
                for (int x = 0; x < size; x++) {
                    float acc = 0;
                    for (int k = 0; k < wt.length; k++) acc += wt[k] * tmp[(s + k) * size + x];
                    out[base + o * size + x] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
                }
            }
        }
    }

    /** The square's pixels as {@code channels} float planes of side x side, values 0..255. */
    private float[][] planes(BufferedImage img, int x0, int y0, int side) {
        float[][] planes = new float[channels][side * side];
        Raster raster = img.getRaster();
        boolean grey = raster.getNumBands() <= 2 && !(img.getColorModel() instanceof IndexColorModel);
        if (grey) {
            int bits = img.getColorModel().getComponentSize(0);
            double scale = 255.0 / ((1L << bits) - 1);
            int[] row = new int[side];
            for (int y = 0; y < side; y++) {
                raster.getSamples(x0, y0 + y, side, 1, 0, row);
                for (int x = 0; x < side; x++) {
                    float v = bits == 8 ? row[x] : (float) Math.rint(row[x] * scale);
                    for (int c = 0; c < channels; c++) planes[c][y * side + x] = v;
                }
            }
            return planes;
        }
        int[] rgb = new int[side];
        for (int y = 0; y < side; y++) {
            img.getRGB(x0, y0 + y, side, 1, rgb, 0, side);
            for (int x = 0; x < side; x++) {
                int r = (rgb[x] >> 16) & 0xFF;
                int g = (rgb[x] >> 8) & 0xFF;
                int b = rgb[x] & 0xFF;
                int i = y * side + x;
                if (channels == 1) {
                    planes[0][i] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    planes[0][i] = r;
                    planes[1][i] = g;
                    planes[2][i] = b;
                }
            }
        }
        return planes;
    }

    /** For each output index, the first source index and the weights of consecutive source pixels. */
    static final class Weights {
        final int[] start;
        final float[][] w;

        Weights(int in, int out) {
            start = new int[out];
            w = new float[out][];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                if (out <= in) {
                    // area: source interval [o * scale, (o + 1) * scale)
                    double a = o * scale;
                    double b = Math.min(in, (o + 1) * scale);
                    int first = (int) Math.floor(a);
                    int last = Math.min(in - 1, (int) Math.ceil(b) - 1);
                    start[o] = first;
                    w[o] = new float[last - first + 1];
                    for (int i = first; i <= last; i++) {
                        double overlap = Math.min(b, i + 1) - Math.max(a, i);
                        w[o][i - first] = (float) (overlap / scale);
                    }
                } else {
                    // bilinear between pixel centres
                    double centre = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
                    int i0 = Math.min((int) Math.floor(centre), in - 1);
                    int i1 = Math.min(i0 + 1, in - 1);
                    double f = centre - i0;
                    start[o] = i0;
                    w[o] = i1 == i0 ? new float[] {1f} : new float[] {(float) (1 - f), (float) f};
                }
            }
        }
    }
}
