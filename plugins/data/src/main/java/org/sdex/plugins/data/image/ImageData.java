package org.sdex.plugins.data.image;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.sdex.spi.data.PixelRange;
import java.util.OptionalLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.LabelledDraw;
import org.sdex.spi.random.Rng;

/**
 * A finite set of 8-bit images held once as bytes ({@code [n, c, h, w]}, example-major) and turned
 * into the context's dtype one batch at a time, so the memory cost is one byte per pixel.
 *
 * <p>Value of a pixel {@code p} in 0..255: {@code p / 255}, or {@code (p + u) / 256} with
 * {@code u ~ U(0, 1)} under uniform dequantization; then {@code 2x - 1} when centered. Padding
 * pixels are exactly 0 (-1 when centered), never dequantized.
 *
 * <ul>
 *   <li>{@link #sample}: examples drawn uniformly <em>with replacement</em> ({@code rng.nextInt(size)}),
 *       each flipped horizontally with probability 1/2 when {@code randomFlip}, dequantization noise
 *       from the same generator. The generator is the only state, so a checkpoint of its state
 *       resumes the exact stream of batches (a shuffled epoch order would be state of its own).</li>
 *   <li>{@link #examples}: the stored order, never flipped and never dequantized: exactly k/255
 *       (or 2k/255 - 1), as {@link #pixels} promises, so that bits/dim can dequantize the stored
 *       pixels itself.</li>
 * </ul>
 *
 * Immutable and safe to share between threads.
 */
final class ImageData implements Dataset {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classes;
    /** Number of classes: of the names when known, else the largest label + 1; 0 without labels. */
    private final int classCount;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final ImageOptions options;
    private final DataType type;
    private final int paddedHeight;
    private final int paddedWidth;
    private final int outLength;
    /** The value of each byte without dequantization. */
    private final double[] value = new double[256];

    /**
     * @param pixels  {@code count * channels * height * width} bytes, each example as planes C x H x W
     * @param labels  one class per example, or null
     * @param classes class names by label (empty when unknown)
     */
    ImageData(String name, byte[] pixels, int[] labels, List<String> classes, int count, int channels, int height, int width,
              ImageOptions options, DataType type) {
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("internal: " + pixels.length + " bytes for " + count + " x " + channels + " x " + height + " x " + width);
        }
        if (labels != null && labels.length != count) throw new IllegalArgumentException("internal: " + labels.length + " labels for " + count + " examples");
        this.classCount = labels == null ? 0 : classCount(name, labels, classes);
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.classes = List.copyOf(classes);
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.options = options;
        this.type = type;
        this.paddedHeight = height + 2 * options.pad();
        this.paddedWidth = width + 2 * options.pad();
        long out = (long) channels * paddedHeight * paddedWidth;
        if (out > DataFiles.MAX_ARRAY) {
            throw new IllegalArgumentException("data '" + name + "': pad " + options.pad() + " makes examples too large");
        }
        this.outLength = (int) out;
        for (int p = 0; p < 256; p++) value[p] = options.centered() ? 2.0 * p / 255.0 - 1.0 : p / 255.0;
    }

    @Override
    public long[] shape() { return new long[] {channels, paddedHeight, paddedWidth}; }

    @Override
    public OptionalLong size() { return OptionalLong.of(count); }

    @Override
    public INDArray sample(int n, Rng rng) { return draw(n, rng, null); }

    @Override
    public LabelledDraw sampleLabelled(int n, Rng rng) {
        if (labels == null) return Dataset.super.sampleLabelled(n, rng);
        int[] drawn = new int[Math.max(n, 0)];
        return new LabelledDraw(draw(n, rng, drawn), drawn);
    }

    @Override
    public int classes() { return classCount; }

    /** n examples drawn as {@link #sample} describes; the label of each into {@code drawnLabels} when non-null. */
    private INDArray draw(int n, Rng rng, int[] drawnLabels) {
        if (n < 0) throw new IllegalArgumentException("cannot sample " + n + " examples");
        Batch batch = new Batch(n);
        double[] row = new double[outLength];
        for (int i = 0; i < n; i++) {
            int index = rng.nextInt(count);
            if (drawnLabels != null) drawnLabels[i] = labels[index];
            boolean flip = options.randomFlip() && rng.nextDouble() < 0.5;
            fill(index, flip, options.uniformDequantization() ? rng : null, row);
            batch.put(i, row);
        }
        return batch.array();
    }

    @Override
    public INDArray examples(long from, int n) {
        checkRange(from, n);
        Batch batch = new Batch(n);
        double[] row = new double[outLength];
        for (int i = 0; i < n; i++) {
            long index = from + i;
            fill((int) index, false, null, row);
            batch.put(i, row);
        }
        return batch.array();
    }

    @Override
    public Optional<PixelRange> pixels() {
        return Optional.of(options.centered() ? PixelRange.CENTERED : PixelRange.UNIT);
    }

    @Override
    public Optional<int[]> labels(long from, int n) {
        checkRange(from, n);
        if (labels == null) return Optional.empty();
        return Optional.of(Arrays.copyOfRange(labels, (int) from, (int) from + n));
    }

    /** Class names by label: the sub-folder names of an image folder, the named sets' classes; empty where unknown. */
    List<String> classNames() { return classes; }

    /** The number of named classes (every label must be one), or the largest label + 1 when unnamed. */
    private static int classCount(String name, int[] labels, List<String> classes) {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || (!classes.isEmpty() && labels[i] >= classes.size())) {
                throw new IllegalArgumentException("data '" + name + "': example " + (i + 1) + " has label " + labels[i]
                        + ", not one of its " + classes.size() + " classes 0-" + (classes.size() - 1));
            }
            max = Math.max(max, labels[i]);
        }
        return classes.isEmpty() ? max + 1 : classes.size();
    }

    /** Bytes held for the whole set: one per stored pixel. */
    long storedBytes() { return pixels.length; }

    /** The stored byte of a pixel (tests and tools). */
    int pixel(int example, int channel, int y, int x) {
        return pixels[((example * channels + channel) * height + y) * width + x] & 0xFF;
    }

    private void checkRange(long from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IndexOutOfBoundsException("data '" + name + "' has " + count + " examples; asked for [" + from + ", " + (from + n) + ")");
        }
    }

    /** One example as values in output layout (padding included) into {@code row}. */
    private void fill(int index, boolean flip, Rng noise, double[] row) {
        int pad = options.pad();
        if (pad > 0) Arrays.fill(row, options.centered() ? -1.0 : 0.0);
        boolean centered = options.centered();
        int base = index * channels * height * width;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int src = base + (c * height + y) * width;
                int dst = (c * paddedHeight + y + pad) * paddedWidth + pad;
                for (int x = 0; x < width; x++) {
                    int p = pixels[src + (flip ? width - 1 - x : x)] & 0xFF;
                    double v;
                    if (noise == null) {
                        v = value[p];
                    } else {
                        v = (p + noise.nextDouble()) / 256.0;
                        if (centered) v = 2 * v - 1;
                    }
                    row[dst + x] = v;
                }
            }
        }
    }

    /** The flat buffer of one batch in the target dtype: double for DOUBLE, float (converted by ND4J if needed) otherwise. */
    private final class Batch {
        private final int n;
        private final double[] doubles;
        private final float[] floats;

        Batch(int n) {
            this.n = n;
            long total = (long) n * outLength;
            if (total > DataFiles.MAX_ARRAY) throw new IllegalArgumentException("a batch of " + n + " examples of " + outLength + " values is too large");
            this.doubles = type == DataType.DOUBLE ? new double[(int) total] : null;
            this.floats = type == DataType.DOUBLE ? null : new float[(int) total];
        }

        void put(int i, double[] row) {
            int off = i * outLength;
            if (doubles != null) {
                System.arraycopy(row, 0, doubles, off, outLength);
            } else {
                for (int k = 0; k < outLength; k++) floats[off + k] = (float) row[k];
            }
        }

        INDArray array() {
            long[] shape = {n, channels, paddedHeight, paddedWidth};
            return doubles != null ? Nd4j.create(doubles, shape, DataType.DOUBLE) : Nd4j.create(floats, shape, type);
        }
    }

    @Override
    public String toString() { return "'" + name + "'"; }
}
