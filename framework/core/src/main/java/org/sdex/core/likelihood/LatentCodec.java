package org.sdex.core.likelihood;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sde.ReverseSde;
import org.sdex.spi.sde.Sde;

/**
 * The probability-flow ODE as a deterministic, invertible code (Song et al. 2021, Sec. 4.3,
 * "uniquely identifiable encoding"): {@link #encode} integrates data at time eps to latents at T,
 * {@link #decode} integrates back from T to eps, and {@link #slerp} interpolates between latents
 * on the sphere, where prior draws concentrate. Only the score is needed (no divergence). States
 * are integrated in double precision.
 */
public final class LatentCodec {
    private final Sde sde;
    private final OdeSolver solver;
    private final double eps;
    private final ReverseSde flow;

    public LatentCodec(Sde sde, ScoreFunction score, OdeSolver solver, double eps) {
        if (!(eps >= 0 && eps < sde.T())) throw new IllegalArgumentException("eps must be in [0, T), got " + eps);
        this.sde = sde;
        this.solver = solver;
        this.eps = eps;
        this.flow = new ReverseSde(sde, score, true);
    }

    /** The end state [B, shape...] (DOUBLE) and the right-hand-side evaluations it took. */
    public record Coded(INDArray value, int nfe) {}

    /** Data x [B, shape...] at time eps to latents at T. */
    public Coded encode(INDArray x) { return integrate(x, eps, sde.T()); }

    /** Latents z [B, shape...] at T to data at time eps (no denoising step). */
    public Coded decode(INDArray z) { return integrate(z, sde.T(), eps); }

    /** The round trip and its error: per row {@code ||decode(encode(x)) - x|| / ||x||}. */
    public record RoundTrip(INDArray latent, INDArray reconstruction, INDArray relativeError, int nfe) {
        public double maxRelativeError() { return relativeError.maxNumber().doubleValue(); }

        public double meanRelativeError() { return relativeError.meanNumber().doubleValue(); }
    }

    public RoundTrip roundTrip(INDArray x) {
        Coded z = encode(x);
        Coded back = decode(z.value());
        long b = x.size(0);
        INDArray x64 = x.castTo(DataType.DOUBLE).reshape(b, x.length() / b);
        INDArray err = back.value().reshape(b, x.length() / b).sub(x64).norm2(1).divi(x64.norm2(1));
        return new RoundTrip(z.value(), back.value(), err, z.nfe() + back.nfe());
    }

    private Coded integrate(INDArray start, double t0, double t1) {
        INDArray y0 = start.castTo(DataType.DOUBLE).dup('c');
        OdeSolution sol = solver.solve((t, y) -> flow.drift(y, t).castTo(DataType.DOUBLE), y0, t0, t1);
        return new Coded(sol.y(), sol.evaluations());
    }

    /**
     * Spherical linear interpolation of each row pair: with {@code theta} the angle between the
     * flattened rows z0 and z1, {@code (sin((1 - l) theta) z0 + sin(l theta) z1) / sin(theta)}; the
     * linear interpolation when the rows are (nearly) parallel. z0 and z1 are [B, shape...]; returns
     * DOUBLE [B, shape...].
     */
    public static INDArray slerp(INDArray z0, INDArray z1, double lambda) {
        if (!java.util.Arrays.equals(z0.shape(), z1.shape())) {
            throw new IllegalArgumentException("slerp needs latents of one shape, got " + java.util.Arrays.toString(z0.shape())
                    + " and " + java.util.Arrays.toString(z1.shape()));
        }
        long b = z0.size(0);
        long d = z0.length() / b;
        INDArray a = z0.castTo(DataType.DOUBLE).reshape(b, d);
        INDArray c = z1.castTo(DataType.DOUBLE).reshape(b, d);
        INDArray out = Nd4j.create(DataType.DOUBLE, b, d);
        for (long i = 0; i < b; i++) {
            INDArray ai = a.getRow(i), ci = c.getRow(i);
            double na = ai.norm2Number().doubleValue(), nc = ci.norm2Number().doubleValue();
            double cos = na == 0 || nc == 0 ? 1 : Math.max(-1, Math.min(1, ai.mul(ci).sumNumber().doubleValue() / (na * nc)));
            double theta = Math.acos(cos);
            double wa, wc;
            if (Math.sin(theta) < 1e-7) {
                wa = 1 - lambda;
                wc = lambda;
            } else {
                wa = Math.sin((1 - lambda) * theta) / Math.sin(theta);
                wc = Math.sin(lambda * theta) / Math.sin(theta);
            }
            out.getRow(i).assign(ai.mul(wa).addi(ci.mul(wc)));
        }
        return out.reshape(z0.shape());
    }

    /**
     * {@code steps} points from z0 to z1 (both ends included) along the great circle, for a single
     * pair of latents [1, shape...] or [shape...]: returns [steps, shape...].
     */
    public static INDArray interpolate(INDArray z0, INDArray z1, int steps) {
        if (steps < 2) throw new IllegalArgumentException("interpolation needs at least 2 points, got " + steps);
        long d = z0.length();
        INDArray a = z0.castTo(DataType.DOUBLE).reshape(1, d), c = z1.castTo(DataType.DOUBLE).reshape(1, d);
        INDArray out = Nd4j.create(DataType.DOUBLE, steps, d);
        for (int i = 0; i < steps; i++) {
            out.get(NDArrayIndex.point(i), NDArrayIndex.all()).assign(slerp(a, c, (double) i / (steps - 1)).reshape(d));
        }
        long[] one = z0.shape();
        int drop = one.length > 0 && one[0] == 1 ? 1 : 0;
        long[] shape = new long[one.length - drop + 1];
        shape[0] = steps;
        System.arraycopy(one, drop, shape, 1, one.length - drop);
        return out.reshape(shape);
    }
}
