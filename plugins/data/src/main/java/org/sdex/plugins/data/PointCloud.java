package org.sdex.plugins.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.random.Rng;

/** A 2-D toy distribution defined by how to draw one point; draws are deterministic given the Rng. */
final class PointCloud implements Dataset {
    /** Writes one draw into {@code out[0..1]}. */
    @FunctionalInterface
    interface PointSampler {
        void draw(Rng rng, double[] out);
    }

    private final String name;
    private final PointSampler sampler;
    private final DataType type;

    PointCloud(String name, PointSampler sampler, DataType type) {
        this.name = name;
        this.sampler = sampler;
        this.type = type;
    }

    @Override
    public long[] shape() { return new long[] {2}; }

    @Override
    public INDArray sample(int n, Rng rng) {
        double[] flat = new double[2 * n];
        double[] p = new double[2];
        for (int i = 0; i < n; i++) {
            sampler.draw(rng, p);
            flat[2 * i] = p[0];
            flat[2 * i + 1] = p[1];
        }
        return Nd4j.create(flat, new long[] {n, 2}, type);
    }

    /** The plugin name, quoted as in the DSL, for messages such as the exact model's. */
    @Override
    public String toString() { return "'" + name + "'"; }
}
