package org.sdex.spi.data;

import java.util.Optional;
import java.util.OptionalLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.oracle.GaussianMixture;
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

    /** Number of examples of a finite set; empty for a distribution one can draw from forever. */
    default OptionalLong size() { return OptionalLong.empty(); }

    /** The exact density when the data is a Gaussian mixture: the ground truth for tests and the {@code exact} model. */
    default Optional<GaussianMixture> mixture() { return Optional.empty(); }
}
