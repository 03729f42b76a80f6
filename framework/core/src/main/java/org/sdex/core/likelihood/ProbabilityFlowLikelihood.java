package org.sdex.core.likelihood;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.OdeFunction;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sde.ReverseSde;
import org.sdex.spi.sde.Sde;

/**
 * Exact log-likelihoods through the probability-flow ODE (Song et al. 2021, Sec. 4.3, App. D.2;
 * the reference's {@code likelihood.py}). Along the ODE {@code dx/dt = f~(x, t) = f(t) x - g(t)^2
 * s(x, t) / 2} (the {@link ReverseSde} drift with {@code probabilityFlow}), the instantaneous
 * change of variables gives {@code d log p_t(x(t)) / dt = -div f~(x(t), t)}, so
 * <pre>
 *   log p_eps(x) = log p_T(x(T)) + int_eps^T div f~(x(t), t) dt,
 *   div f~ = f(t) D - (g(t)^2 / 2) tr(∂s/∂x)
 * </pre>
 * with D values per example. The augmented state {@code [x; delta_logp]} is integrated from eps to T
 * as one flat DOUBLE vector of length {@code B D + B} (x row-major first, then the B log-density
 * changes, starting at 0), the layout of the reference, with any {@link OdeSolver} (rk45 as the
 * reference's scipy RK45). The linear drift's divergence {@code f(t) D} is exact; only
 * {@code tr(∂s/∂x)} comes from the {@link Divergence} strategy (for Hutchinson that is an
 * unbiased estimate with less variance than probing the whole drift, identical for Rademacher
 * probes).
 *
 * <p>{@code log p_T} is the SDE's prior ({@link Sde#priorLogp}), as in the reference: the result is
 * the model's likelihood, which differs from the data's by how far p_T is from the prior. The
 * latent {@code z = x(T)}, the prior term and the integral are returned separately, so a caller
 * that knows p_T exactly can substitute it.
 */
public final class ProbabilityFlowLikelihood {
    private final Sde sde;
    private final DifferentiableScore score;
    private final Divergence divergence;
    private final OdeSolver solver;
    private final double eps;
    private final ReverseSde flow;

    /**
     * @param eps the time the data are taken to be at (the reference uses 1e-5); the ODE runs from
     *            eps to T, and the result is a log-density at time eps
     */
    public ProbabilityFlowLikelihood(Sde sde, DifferentiableScore score, Divergence divergence, OdeSolver solver, double eps) {
        if (!(eps >= 0 && eps < sde.T())) throw new IllegalArgumentException("eps must be in [0, T), got " + eps);
        this.sde = sde;
        this.score = score;
        this.divergence = divergence;
        this.solver = solver;
        this.eps = eps;
        this.flow = new ReverseSde(sde, score, true);
    }

    public Sde sde() { return sde; }

    public Divergence divergence() { return divergence; }

    public double eps() { return eps; }

    /**
     * Per example (DOUBLE vectors [N]): {@code logp = priorLogp + deltaLogp} in nats at time eps,
     * the prior term {@code log p_T(z)}, the integral of the divergence, and the latent z = x(T)
     * [N, shape...] (DOUBLE). {@code nfe} is the mean number of right-hand-side evaluations per
     * batch (each is one score evaluation and the divergence's vjp calls), {@code nfeMax} the
     * largest; {@code batches} how many solves there were.
     */
    public record Result(INDArray logp, INDArray priorLogp, INDArray deltaLogp, INDArray latent,
                         double nfe, long nfeMax, int batches) {}

    /**
     * Log-likelihoods of a batch x [B, shape...] (one solve). Hutchinson probes come from
     * {@code rng}; give it {@link Rng#rows} so that example i's probes come from its own stream.
     */
    public Result logLikelihood(INDArray x, Rng rng) {
        long b = x.size(0);
        long d = x.length() / b;
        long[] shape = x.shape();
        INDArray y0 = Nd4j.concat(0, x.castTo(DataType.DOUBLE).dup('c').reshape(b * d), Nd4j.zeros(DataType.DOUBLE, b));
        Divergence.Trace trace = divergence.begin(b, d, rng);
        OdeFunction augmented = (t, y) -> {
            INDArray xt = y.get(NDArrayIndex.interval(0, b * d)).dup('c').reshape(shape);
            INDArray dx = flow.drift(xt, t).castTo(DataType.DOUBLE);
            double g = sde.diffusion(t);
            INDArray div = trace.trace(score, xt, t).muli(-0.5 * g * g).addi(sde.driftCoefficient(t) * d);
            return Nd4j.concat(0, dx.reshape(b * d), div);
        };
        OdeSolution sol = solver.solve(augmented, y0, eps, sde.T());
        INDArray y = sol.y();
        INDArray z = y.get(NDArrayIndex.interval(0, b * d)).dup('c').reshape(shape);
        INDArray delta = y.get(NDArrayIndex.interval(b * d, b * d + b)).dup();
        INDArray prior = sde.priorLogp(z);
        return new Result(prior.add(delta), prior, delta, z, sol.evaluations(), sol.evaluations(), 1);
    }

    /** Just the log-likelihoods [B] (nats) of a batch; fits {@link BitsPerDim.LogLikelihood}. */
    public INDArray logp(INDArray x, Rng rng) { return logLikelihood(x, rng).logp(); }

    /**
     * Log-likelihoods of a data set [N, shape...] in batches of {@code batchSize}; batch
     * {@code [start, start + n)} draws its probes from {@code Rng.rows(seed, start, n)}, so each
     * example's probes do not depend on the batch size.
     */
    public Result logLikelihood(INDArray data, int batchSize, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        long n = data.size(0);
        long[] latentShape = data.shape().clone();
        INDArray logp = Nd4j.create(DataType.DOUBLE, n), prior = Nd4j.create(DataType.DOUBLE, n), delta = Nd4j.create(DataType.DOUBLE, n);
        INDArray latent = Nd4j.create(DataType.DOUBLE, latentShape);
        long evaluations = 0, max = 0;
        int batches = 0;
        for (long start = 0; start < n; start += batchSize) {
            int size = (int) Math.min(batchSize, n - start);
            INDArrayIndex rows = NDArrayIndex.interval(start, start + size);
            Result part = logLikelihood(data.get(rows).dup(), Rng.rows(seed, start, size));
            logp.get(rows).assign(part.logp());
            prior.get(rows).assign(part.priorLogp());
            delta.get(rows).assign(part.deltaLogp());
            latent.get(rows).assign(part.latent());
            evaluations += part.nfeMax();
            max = Math.max(max, part.nfeMax());
            batches++;
        }
        return new Result(logp, prior, delta, latent, batches == 0 ? 0 : (double) evaluations / batches, max, batches);
    }

    @Override
    public String toString() {
        return "ProbabilityFlowLikelihood[" + sde.getClass().getSimpleName() + ", " + divergence.name() + ", eps=" + eps
                + ", T=" + sde.T() + "]";
    }
}
