package org.sdex.spi.random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Counter-based random numbers (SplitMix64 over seed and counter). The whole state is two longs,
 * so it goes into a checkpoint and comes back exactly, and {@link #fork(long)} gives independent
 * streams (one per sample, per step, ...) without sharing state between threads or batches.
 * Not thread-safe: give each thread its own fork.
 */
public final class Rng {
    private final long seed;
    private long counter;
    /** Per-row streams, when this generator draws batches row by row (see {@link #rows}). */
    private Rng[] rowStreams;

    public Rng(long seed) { this(seed, 0); }

    private Rng(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    /** Restores a generator from {@link #state()}. */
    public static Rng fromState(long[] state) { return new Rng(state[0], state[1]); }

    /**
     * A generator for a batch whose row i is example {@code firstRow + i} of a larger set: arrays
     * whose leading dimension equals {@code count} are filled row by row, each row from the stream
     * of its example. Samples then do not depend on how the set is split into batches.
     */
    public static Rng rows(long seed, long firstRow, int count) {
        Rng base = new Rng(seed);
        Rng r = new Rng(seed);
        r.rowStreams = new Rng[count];
        for (int i = 0; i < count; i++) r.rowStreams[i] = base.fork(firstRow + i);
        return r;
    }

    /** {seed, counter}: everything needed to continue this stream exactly. */
    public long[] state() { return new long[] {seed, counter}; }

    /** An independent stream derived from this one's seed and {@code stream}; does not advance this one. */
    public Rng fork(long stream) { return new Rng(mix(seed ^ mix(stream + 0x9E3779B97F4A7C15L))); }

    public long nextLong() { return mix(seed + 0x9E3779B97F4A7C15L * (++counter)); }

    /** Uniform in [0, 1), 53 bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform in (0, 1], safe under log. */
    private double nextOpen() { return ((nextLong() >>> 11) + 1) * 0x1.0p-53; }

    public int nextInt(int bound) { return (int) Math.floorMod(nextLong(), (long) bound); }

    public double nextGaussian() {
        double[] two = new double[2];
        fillGaussian(two, 0, 2);
        return two[0];
    }

    /** Standard normal via Box-Muller; consumes one counter step per value. */
    public void fillGaussian(double[] out, int from, int to) {
        int i = from;
        while (i < to) {
            double r = Math.sqrt(-2.0 * Math.log(nextOpen()));
            double a = 2.0 * Math.PI * nextDouble();
            out[i++] = r * Math.cos(a);
            if (i < to) out[i++] = r * Math.sin(a);
        }
    }

    public INDArray normal(DataType type, long... shape) {
        double[] v = new double[Math.toIntExact(length(shape))];
        if (rowStreams != null && shape.length > 0 && shape[0] == rowStreams.length) {
            int per = v.length / rowStreams.length;
            for (int i = 0; i < rowStreams.length; i++) rowStreams[i].fillGaussian(v, i * per, (i + 1) * per);
        } else {
            fillGaussian(v, 0, v.length);
        }
        return Nd4j.create(v, shape, type);
    }

    /** Uniform in [0, 1); per-example streams as {@link #normal}. */
    public INDArray uniform(DataType type, long... shape) {
        return fill(type, shape, Rng::nextDouble);
    }

    /** Rademacher (+1/-1 with equal probability); per-example streams as {@link #normal}. */
    public INDArray rademacher(DataType type, long... shape) {
        return fill(type, shape, r -> (r.nextLong() & 1L) == 0 ? -1.0 : 1.0);
    }

    /** Fills an array value by value, row i from row i's stream when this generator has {@link #rows}. */
    private INDArray fill(DataType type, long[] shape, java.util.function.ToDoubleFunction<Rng> draw) {
        double[] v = new double[Math.toIntExact(length(shape))];
        if (rowStreams != null && shape.length > 0 && shape[0] == rowStreams.length) {
            int per = v.length / rowStreams.length;
            for (int i = 0; i < rowStreams.length; i++) {
                for (int j = i * per; j < (i + 1) * per; j++) v[j] = draw.applyAsDouble(rowStreams[i]);
            }
        } else {
            for (int i = 0; i < v.length; i++) v[i] = draw.applyAsDouble(this);
        }
        return Nd4j.create(v, shape, type);
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
