package org.sdex.core.likelihood;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.random.Rng;

/**
 * Bits per dimension of 8-bit data under a continuous model, with uniform dequantization, exactly
 * as the reference ({@code run_lib.evaluate} and {@code likelihood.py} of score_sde).
 *
 * <h2>Derivation</h2>
 * Data are stored in [0, 1] as {@code x = k / 255} with integer pixels {@code k in {0..255}^D}.
 * Dequantization draws {@code u ~ U[0,1)^D} and sets {@code y = (255 x + u) / 256 = (k + u) / 256},
 * which lies in the cell {@code C_k = [k/256, (k+1)/256)^D} of volume {@code 256^-D}; the cells tile
 * [0,1)^D. A density p_y on [0,1)^D defines the discrete model {@code P(k) = int_{C_k} p_y}, and by
 * Jensen
 * <pre>
 *   -log2 P(k) = -log2 E_u[p_y(y) 256^-D] &lt;= E_u[-log2 p_y(y)] + 8 D,
 * </pre>
 * so {@code bpd = -log p_y(y) / (D ln 2) + 8} is, in expectation over u, an upper bound on the
 * discrete model's code length per dimension ({@link Scaling#UNIT}).
 *
 * <p>When the model works on centred data {@code z = 2 y - 1} in [-1, 1)^D (the reference's
 * {@code data.centered}), its density is p_z and {@code p_y(y) = p_z(2y - 1) |det ∂z/∂y| =
 * p_z(z) 2^D}; hence {@code -log2 p_y(y) / D = -log2 p_z(z) / D - 1} and
 * {@code bpd = -log p_z(z) / (D ln 2) + 7} ({@link Scaling#CENTERED}). This is the reference's
 * {@code offset = 7 - inverse_scaler(-1)}: 7 for centred data (inverse_scaler(-1) = 0), 8 for
 * [0,1] data (inverse_scaler(-1) = -1). As in the reference, log p is the model's density at time
 * eps of the probability-flow ODE, taken for the data's.
 *
 * <h2>Estimate over a data set</h2>
 * Each point gets {@code repeats} independent dequantizations (the reference's
 * {@code bpd_num_repeats}); its bpd is the mean over them, and the data-set estimate is the mean
 * of the points' values with standard error {@code sd / sqrt(N)} over points (points are
 * independent; a point's repeats are not, so they are averaged first). Dequantization noise and
 * Hutchinson probes of example i come from streams of example i, so the result does not depend
 * on the batch size.
 */
public final class BitsPerDim {
    private BitsPerDim() {}

    /** The range the model's data live in. */
    public enum Scaling {
        /** [0, 1]: the model sees the dequantized y. Offset 8. */
        UNIT(8.0),
        /** [-1, 1]: the model sees 2 y - 1. Offset 7 (the rescaling's Jacobian 2^D is one bit per dimension). */
        CENTERED(7.0);

        private final double offset;

        Scaling(double offset) { this.offset = offset; }

        /** The constant added to {@code -log2 p / D}. */
        public double offset() { return offset; }

        /** The model's input for dequantized y in [0, 1]. */
        INDArray scale(INDArray y) { return this == UNIT ? y : y.mul(2).subi(1); }
    }

    /** A model's log-density, in nats, of each row of x [B, shape...] (model space), as [B]. */
    @FunctionalInterface
    public interface LogLikelihood {
        INDArray logp(INDArray x, Rng rng);
    }

    /** {@code bpd = -logp / (D ln 2) + offset} for each entry of logp (nats); DOUBLE. */
    public static INDArray fromLogp(INDArray logp, long dims, Scaling scaling) {
        return logp.castTo(DataType.DOUBLE).mul(-1.0 / (dims * Math.log(2))).addi(scaling.offset());
    }

    /**
     * {@code (255 x + u) / 256} for data x [B, shape...] in [0, 1]; row i's u comes from stream
     * {@code firstRow + i} of {@code seed} (the streams of {@link Rng#rows}). DOUBLE.
     */
    public static INDArray dequantize(INDArray x, long seed, long firstRow) {
        long b = x.size(0);
        int d = Math.toIntExact(x.length() / b);
        double[] u = new double[Math.toIntExact(x.length())];
        Rng base = new Rng(seed);
        for (int i = 0; i < b; i++) {
            Rng row = base.fork(firstRow + i);
            for (int j = 0; j < d; j++) u[i * d + j] = row.nextDouble();
        }
        INDArray noise = Nd4j.create(u, x.shape(), DataType.DOUBLE);
        return x.castTo(DataType.DOUBLE).mul(255).addi(noise).divi(256);
    }

    /**
     * The data-set estimate: {@code mean} and {@code standardError} over points of the per-point
     * bpd (each the mean over {@code repeats} dequantizations), and the per-point values [N].
     */
    public record Estimate(double mean, double standardError, long points, int repeats, INDArray perPoint) {}

    /**
     * Bits per dimension of 8-bit data {@code data} [N, shape...] (values k/255 in [0, 1]) under
     * {@code model}, which sees [0,1] or [-1,1] data according to {@code scaling}.
     */
    public static Estimate evaluate(INDArray data, Scaling scaling, LogLikelihood model, int repeats, int batchSize, long seed) {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        long n = data.size(0);
        long dims = data.length() / n;
        INDArray perPoint = Nd4j.zeros(DataType.DOUBLE, n);
        for (int r = 0; r < repeats; r++) {
            Rng repeat = new Rng(seed).fork(r);
            long noiseSeed = repeat.fork(0).nextLong();
            long probeSeed = repeat.fork(1).nextLong();
            for (long start = 0; start < n; start += batchSize) {
                int size = (int) Math.min(batchSize, n - start);
                INDArrayIndex rows = NDArrayIndex.interval(start, start + size);
                INDArray y = dequantize(data.get(rows), noiseSeed, start);
                INDArray logp = model.logp(scaling.scale(y), Rng.rows(probeSeed, start, size));
                perPoint.get(rows).addi(fromLogp(logp, dims, scaling).divi(repeats));
            }
        }
        double mean = perPoint.meanNumber().doubleValue();
        double se = n < 2 ? Double.NaN : perPoint.stdNumber().doubleValue() / Math.sqrt(n);
        return new Estimate(mean, se, n, repeats, perPoint);
    }
}
