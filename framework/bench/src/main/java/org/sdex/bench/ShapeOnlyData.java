package org.sdex.bench;

import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.random.Rng;

/**
 * Stands in for a data set where a benchmark needs the example shape (networks are built from it)
 * and values of that shape, not real data (a timed training run): [C, H, W] counts as centred
 * images, anything else as points; draws are standard normal noise.
 */
record ShapeOnlyData(long[] shape) implements Dataset {
    @Override
    public INDArray sample(int n, Rng rng) {
        long[] s = new long[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return rng.normal(DataType.DOUBLE, s);
    }

    @Override
    public Optional<PixelRange> pixels() {
        return shape.length == 3 ? Optional.of(PixelRange.CENTERED) : Optional.empty();
    }
}
