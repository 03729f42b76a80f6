package org.sdex.core.likelihood;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;

/**
 * Skilling-Hutchinson: {@code tr J ≈ (1/K) sum_k eps_k^T J eps_k} with probes eps_k drawn once per
 * solve ([B, K, D]; point b's K probes from point b's stream). The batch is tiled K times
 * ([B K, D], point-major, so point b's probes are rows b K .. b K + K - 1) and goes through as few
 * vjp calls as the row budget allows.
 *
 * <p>Rademacher probes are the signs of standard normal draws: exactly +-1 with probability 1/2
 * each, and drawn through {@link Rng#normal}, the only draw that honours {@link Rng#rows}'
 * per-example streams ({@code Rng.rademacher} draws from the shared stream).
 */
final class HutchinsonDivergence implements Divergence {
    private final Probe probe;
    private final int probes;
    private final int maxRows;

    HutchinsonDivergence(Probe probe, int probes, int maxRows) {
        if (probe == null) throw new IllegalArgumentException("a probe distribution is required");
        if (probes < 1) throw new IllegalArgumentException("hutchinson needs at least one probe, got " + probes);
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        this.probe = probe;
        this.probes = probes;
        this.maxRows = maxRows;
    }

    @Override public String name() { return "hutchinson"; }

    Probe probe() { return probe; }

    int probes() { return probes; }

    /** Probes [batch, K, D] in double precision. */
    INDArray draw(long batch, long exampleSize, Rng rng) {
        INDArray eps = rng.normal(DataType.DOUBLE, batch, probes, exampleSize);
        if (probe == Probe.RADEMACHER) {
            // sign(z), with the measure-zero z == 0 sent to +1
            INDArray neg = eps.lt(0).castTo(DataType.DOUBLE);
            eps = neg.muli(-2).addi(1);
        }
        return eps;
    }

    @Override
    public Trace begin(long batch, long exampleSize, Rng rng) {
        INDArray eps = draw(batch, exampleSize, rng);
        // whole points per call, at least one
        long pointsPerCall = Math.max(1, Math.min(batch, maxRows / probes));
        return new Trace() {
            @Override
            public INDArray trace(DifferentiableScore score, INDArray x, double t) {
                long b = batch, d = exampleSize;
                ExactDivergence.checkShape(x, batch, exampleSize);
                long[] exampleShape = ExactDivergence.exampleShape(x);
                INDArray flat = x.reshape(b, 1, d);
                INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, b);
                for (long p0 = 0; p0 < b; p0 += pointsPerCall) {
                    long n = Math.min(pointsPerCall, b - p0);
                    INDArray xs = flat.get(NDArrayIndex.interval(p0, p0 + n), NDArrayIndex.all(), NDArrayIndex.all());
                    INDArray tiled = xs.broadcast(n, probes, d).dup('c');
                    INDArray v = eps.get(NDArrayIndex.interval(p0, p0 + n), NDArrayIndex.all(), NDArrayIndex.all());
                    long[] rowsShape = ExactDivergence.withBatch(n * probes, exampleShape);
                    INDArray vjp = score.vjp(tiled.reshape(rowsShape), t, v.castTo(x.dataType()).dup('c').reshape(rowsShape));
                    INDArray quad = vjp.castTo(DataType.DOUBLE).reshape(n, probes, d).muli(v).sum(2).mean(1);
                    out.get(NDArrayIndex.interval(p0, p0 + n)).assign(quad);
                }
                return out;
            }

            @Override public long vjpRowsPerExample() { return probes; }
        };
    }
}
