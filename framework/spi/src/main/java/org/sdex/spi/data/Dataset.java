package org.sdex.spi.data;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/** A source of training examples: a distribution to draw from, or a finite data set. */
public interface Dataset {
    /** Shape of one example, e.g. [2] for 2-D points or [1, 28, 28] for MNIST. */
    long[] shape();

    /**
     * n examples as one array [n, shape...]: fresh i.i.d. draws for a distribution, uniformly chosen
     * examples for a finite set. Deterministic given the generator's state.
     */
    INDArray sample(int n, Rng rng);

    /**
     * Number of classes of a labelled data set (labels are 0 to classes - 1); 0 when the data has no
     * labels. Class-conditional training needs it (and {@link #sampleLabelled}).
     */
    default int classes() { return 0; }

    /**
     * As {@link #sample}, with the class of each example: the same examples as {@link #sample} gives
     * for the same generator state. Only for data with {@link #classes()} > 0.
     */
    default LabelledDraw sampleLabelled(int n, Rng rng) {
        throw new UnsupportedOperationException(this + " has no class labels");
    }

    /** Number of examples of a finite set; empty for a distribution one can draw from forever. */
    default OptionalLong size() { return OptionalLong.empty(); }

    /**
     * Examples {@code [from, from + count)} of a finite set in their stored order, as [count, shape...]
     * (evaluation over a whole split, e.g. bits/dim on the test set). Distributions have no order.
     */
    default INDArray examples(long from, int count) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is a distribution, not a finite set");
    }

    /** The class label of each example of {@link #examples} (same range), when the data has labels. */
    default Optional<int[]> labels(long from, int count) { return Optional.empty(); }

    /**
     * For 8-bit images: how pixels are scaled for the model. Empty for continuous data. Examples
     * from {@link #examples} are then exactly k/255 (or 2k/255 - 1): never dequantized or flipped.
     */
    default Optional<PixelRange> pixels() { return Optional.empty(); }

    /**
     * The fraction of {@code samples} [n, shape...] that fall where the data lives, when the data
     * knows its support (e.g. the checkerboard's dark squares); empty otherwise. A measured quality
     * of a sampler that needs no reference set: 1 for the data itself.
     */
    default OptionalDouble fractionInSupport(INDArray samples) { return OptionalDouble.empty(); }

    /**
     * The exact distribution when the data is a Gaussian mixture: the ground truth for tests, the
     * {@code exact} model and the likelihood oracle (computed by the toolkit's {@code GaussianMixture}).
     */
    default Optional<MixtureParameters> mixture() { return Optional.empty(); }
}
