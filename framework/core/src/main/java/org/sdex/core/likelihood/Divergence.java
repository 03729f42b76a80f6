package org.sdex.core.likelihood;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;

/**
 * How the trace of the score's input-Jacobian, {@code tr(∂s(x,t)/∂x)}, is obtained for the
 * log-density change of the probability-flow ODE (Song et al. 2021, Sec. 4.3 and App. D.2):
 *
 * <ul>
 *   <li>{@link #exact()} — the sum of the diagonal, one vector-Jacobian product per data
 *       dimension with a one-hot vector. All dimensions of all rows go into as few
 *       {@link DifferentiableScore#vjp} calls as a row budget allows (one call for small data):
 *       the batch is tiled once per dimension with the matching one-hot vectors, so a call
 *       evaluates {@code dims x batch} rows at once.</li>
 *   <li>{@link #hutchinson(Probe, int)} — Skilling-Hutchinson's unbiased estimate
 *       {@code mean_k eps_k^T J eps_k} with K probes per point, drawn once per ODE solve and
 *       kept fixed during it, as the reference does (the estimate of the integral is then
 *       unbiased too, since the state's trajectory does not depend on the probes).</li>
 * </ul>
 *
 * A strategy is stateless; {@link #begin} returns the per-solve part (its probes).
 */
public interface Divergence {
    /** Rows a single {@code vjp} call may hold by default (data rows x dimensions or probes). */
    int DEFAULT_MAX_ROWS = 4096;

    /** {@code exact} or {@code hutchinson}. */
    String name();

    /**
     * Starts one ODE solve over a batch of {@code batch} examples of {@code exampleSize} values.
     * Hutchinson probes are drawn here from {@code rng}, shaped [batch, K, exampleSize], so when
     * {@code rng} comes from {@link Rng#rows} row i's probes come from row i's stream and do not
     * depend on how a data set is split into batches.
     */
    Trace begin(long batch, long exampleSize, Rng rng);

    /** The per-solve trace: fixed probes, if any. */
    interface Trace {
        /**
         * {@code tr(∂s/∂x)} at (x, t) for each row of x [B, shape...] (or its estimate), as a
         * DOUBLE vector [B]; x is not modified.
         */
        INDArray trace(DifferentiableScore score, INDArray x, double t);

        /** Rows of {@code vjp} work per example and evaluation (D for exact, K for Hutchinson). */
        long vjpRowsPerExample();
    }

    /** Probe distributions for Hutchinson's estimator; both have E[eps eps^T] = I. */
    enum Probe {
        /** +-1 with equal probability (lower variance: no diagonal term). */
        RADEMACHER,
        /** Standard normal. */
        GAUSSIAN
    }

    static Divergence exact() { return new ExactDivergence(DEFAULT_MAX_ROWS); }

    /** Exact trace with at most {@code maxRows} rows per vjp call (at least the batch, one dimension per call). */
    static Divergence exact(int maxRows) { return new ExactDivergence(maxRows); }

    static Divergence hutchinson(Probe probe, int probes) { return new HutchinsonDivergence(probe, probes, DEFAULT_MAX_ROWS); }

    static Divergence hutchinson(Probe probe, int probes, int maxRows) { return new HutchinsonDivergence(probe, probes, maxRows); }

    /**
     * By name, for configuration: {@code exact}, or {@code hutchinson} with a probe name
     * ({@code rademacher} or {@code gaussian}) and the number of probes.
     */
    static Divergence of(String name, String probe, int probes) {
        return switch (name) {
            case "exact" -> exact();
            case "hutchinson" -> hutchinson(switch (probe) {
                case "rademacher" -> Probe.RADEMACHER;
                case "gaussian" -> Probe.GAUSSIAN;
                default -> throw new IllegalArgumentException("unknown probe '" + probe + "'. Accepted: rademacher, gaussian");
            }, probes);
            default -> throw new IllegalArgumentException("unknown divergence '" + name + "'. Accepted: exact, hutchinson");
        };
    }
}
