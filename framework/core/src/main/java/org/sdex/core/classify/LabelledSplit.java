package org.sdex.core.classify;

import java.util.Arrays;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.error.SdexException;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;

/**
 * One labelled split of an image data set, read once into memory: images [N, C, H, W] as the data
 * set gives them to score models (the same pixel range), and their labels.
 */
public final class LabelledSplit {
    private final String name;
    private final INDArray images;
    private final int[] labels;
    private final PixelRange pixels;

    private LabelledSplit(String name, INDArray images, int[] labels, PixelRange pixels) {
        this.name = name;
        this.images = images;
        this.labels = labels;
        this.pixels = pixels;
    }

    /**
     * Every example and label of {@code data}; {@code name} ("fashion test") names it in errors. A
     * data set without labels, without a finite size or with examples that are not images is refused
     * in one line.
     */
    public static LabelledSplit read(String name, Dataset data, DataType type) {
        long[] shape = data.shape();
        if (shape.length != 3) {
            throw new SdexException(name + ": a classifier needs images [C, H, W], the data set gives examples of shape "
                    + Arrays.toString(shape));
        }
        if (data.size().isEmpty()) {
            throw new SdexException(name + ": a classifier trains on a finite labelled data set, this one is a distribution");
        }
        int n = Math.toIntExact(data.size().getAsLong());
        if (n == 0) throw new SdexException(name + ": the split is empty");
        Optional<int[]> labels = data.labels(0, n);
        if (labels.isEmpty()) {
            throw new SdexException(name + ": the data set has no labels; a classifier needs a labelled one (mnist, fashion, cifar10, idx with labels)");
        }
        INDArray x = data.examples(0, n).castTo(type);
        return new LabelledSplit(name, x, labels.get(), data.pixels().orElse(null));
    }

    /** A split of given images [N, C, H, W] and labels (tests, arrays from files). */
    public static LabelledSplit of(String name, INDArray images, int[] labels, PixelRange pixels) {
        if (images.rank() != 4 || images.size(0) != labels.length) {
            throw new SdexException(name + ": needs images [N, C, H, W] and N labels; got " + Arrays.toString(images.shape())
                    + " and " + labels.length + " labels");
        }
        return new LabelledSplit(name, images, labels.clone(), pixels);
    }

    public String name() { return name; }

    public int size() { return labels.length; }

    /** [C, H, W]. */
    public long[] exampleShape() { return Arrays.copyOfRange(images.shape(), 1, 4); }

    /** How the images' pixels are scaled, or null for data that are not 8-bit images. */
    public PixelRange pixels() { return pixels; }

    /** One more than the largest label. */
    public int classes() { return Arrays.stream(labels).max().orElse(0) + 1; }

    /** The examples of {@code rows} as a new array [rows.length, C, H, W]. */
    public INDArray images(int[] rows) {
        long[] s = images.shape();
        return Nd4j.pullRows(images.reshape('c', new long[] {s[0], s[1] * s[2] * s[3]}), 1, rows)
                .reshape('c', new long[] {rows.length, s[1], s[2], s[3]});
    }

    /** Examples {@code [from, from + count)}. */
    public INDArray images(int from, int count) {
        return images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + count)).dup('c');
    }

    public int label(int row) { return labels[row]; }

    public int[] labels(int from, int count) { return Arrays.copyOfRange(labels, from, from + count); }

    /** Labels of {@code rows}. */
    public int[] labels(int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = labels[rows[i]];
        return out;
    }
}
