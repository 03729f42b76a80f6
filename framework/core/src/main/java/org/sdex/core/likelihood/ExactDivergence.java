package org.sdex.core.likelihood;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;

/**
 * {@code tr J = sum_i e_i^T J e_i}: the batch x [B, D] is tiled c times into [c B, D] (block j is
 * the whole batch) with one-hot vectors e_{d0+j} in block j, so one vjp call gives c diagonal
 * entries of every row; {@code c = max(1, maxRows / B)} dimensions go into each call, so D = 2 or
 * 6 needs a single call and a 3072-dimensional image ceil(3072 / c) calls. The diagonal entries are
 * read off with the same masks: {@code sum over block and column of vjp * mask}.
 */
final class ExactDivergence implements Divergence {
    private final int maxRows;

    ExactDivergence(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        this.maxRows = maxRows;
    }

    @Override public String name() { return "exact"; }

    @Override
    public Trace begin(long batch, long exampleSize, Rng rng) {
        long perCall = Math.max(1, Math.min(exampleSize, maxRows / Math.max(1, batch)));
        return new Trace() {
            @Override
            public INDArray trace(DifferentiableScore score, INDArray x, double t) {
                long b = batch, d = exampleSize;
                checkShape(x, batch, exampleSize);
                long[] exampleShape = exampleShape(x);
                INDArray flat = x.reshape(b, d);
                INDArray total = Nd4j.zeros(DataType.DOUBLE, b);
                for (long d0 = 0; d0 < d; d0 += perCall) {
                    int c = (int) Math.min(perCall, d - d0);
                    INDArray tiled = flat.reshape(1, b, d).broadcast(c, b, d).dup('c');
                    INDArray mask = oneHots(c, b, d, d0);
                    long[] rowsShape = withBatch(c * b, exampleShape);
                    INDArray vjp = score.vjp(tiled.reshape(rowsShape), t, mask.castTo(x.dataType()).reshape(rowsShape));
                    // entry (j, row, d0 + j) of each block: the masked sum over blocks and columns
                    total.addi(vjp.castTo(DataType.DOUBLE).reshape(c, b, d).muli(mask).sum(0, 2));
                }
                return total;
            }

            @Override public long vjpRowsPerExample() { return exampleSize; }
        };
    }

    /** [c, b, d] zeros with ones at (j, *, d0 + j): block j holds e_{d0+j} for every row. */
    static INDArray oneHots(int c, long b, long d, long d0) {
        double[] m = new double[Math.toIntExact(c * b * d)];
        for (int j = 0; j < c; j++) {
            for (long r = 0; r < b; r++) m[(int) ((j * b + r) * d + d0 + j)] = 1;
        }
        return Nd4j.create(m, new long[] {c, b, d}, DataType.DOUBLE);
    }

    /** The batch and example size a trace was prepared for must be those of x. */
    static void checkShape(INDArray x, long batch, long exampleSize) {
        long b = x.size(0);
        long d = x.length() / b;
        if (b != batch || d != exampleSize) {
            throw new IllegalArgumentException("trace prepared for " + batch + " x " + exampleSize + ", got " + b + " x " + d);
        }
    }

    static long[] exampleShape(INDArray x) {
        long[] s = new long[x.rank() - 1];
        System.arraycopy(x.shape(), 1, s, 0, s.length);
        return s;
    }

    static long[] withBatch(long rows, long[] exampleShape) {
        long[] s = new long[exampleShape.length + 1];
        s[0] = rows;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }
}
