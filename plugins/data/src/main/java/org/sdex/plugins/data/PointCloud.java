package org.sdex.plugins.data;

import java.util.OptionalDouble;
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

    /** Whether the point (x, y) lies in the distribution's support. */
    @FunctionalInterface
    interface Support {
        boolean contains(double x, double y);
    }

    private final String name;
    private final PointSampler sampler;
    private final DataType type;
    private final Support support;

    PointCloud(String name, PointSampler sampler, DataType type) {
        this(name, sampler, type, null);
    }

    /** With a known support, {@link #fractionInSupport} measures how much of a sample set lands on it. */
    PointCloud(String name, PointSampler sampler, DataType type, Support support) {
        this.name = name;
        this.sampler = sampler;
        this.type = type;
        this.support = support;
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

    @Override
    public OptionalDouble fractionInSupport(INDArray samples) {
        if (support == null || samples.rank() != 2 || samples.size(1) != 2) return OptionalDouble.empty();
        double[][] p = samples.toDoubleMatrix();
        long inside = 0;
        for (double[] xy : p) if (support.contains(xy[0], xy[1])) inside++;
        return OptionalDouble.of(p.length == 0 ? 0 : (double) inside / p.length);
    }

    /** The plugin name, quoted as in the DSL, for messages such as the exact model's. */
    @Override
    public String toString() { return "'" + name + "'"; }
}
