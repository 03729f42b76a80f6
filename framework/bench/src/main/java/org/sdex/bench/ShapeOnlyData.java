package org.sdex.bench;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.random.Rng;

/**
 * Stands in for a data set where a benchmark only needs the example shape (networks are built from
 * it): [C, H, W] counts as centred images, anything else as points. Drawing from it is an error.
 */
record ShapeOnlyData(long[] shape) implements Dataset {
    @Override
    public INDArray sample(int n, Rng rng) {
        throw new UnsupportedOperationException("a benchmark's stand-in data set has no examples");
    }

    @Override
    public Optional<PixelRange> pixels() {
        return shape.length == 3 ? Optional.of(PixelRange.CENTERED) : Optional.empty();
    }
}
