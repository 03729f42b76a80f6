package org.sdex.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.core.train.Fixtures;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * Exact-trace log-likelihoods of mixture points through the probability-flow ODE with the exact
 * score agree with the closed-form log-density of the mixture's marginal at eps.
 *
 * <p>The ODE carries p_eps exactly onto the true marginal p_T, not onto the prior, so the oracle
 * for the ODE and divergence computation is {@code log p_T(z) + delta_logp} with p_T the mixture
 * at T in closed form; the reported {@code logp} (prior instead of p_T, as the reference) differs
 * from it by exactly {@code log prior(z) - log p_T(z)}, which is printed.
 */
class ProbabilityFlowLikelihoodTest {
    static final double EPS = 1e-5;
    static final int N = 24;

    @BeforeAll
    static void quiet() { Fixtures.quietNd4j(); }

    @ParameterizedTest(name = "{0} d={2}")
    @MethodSource("org.sdex.core.likelihood.Oracle#sdesAndDims")
    void exactTraceLikelihoodMatchesTheClosedForm(String name, Sde sde, int d) {
        GaussianMixture gm = Oracle.mixture(d, 40 + d);
        DifferentiableScore score = Oracle.exactScore(gm, sde);
        GaussianMixture pEps = gm.at(sde, EPS), pT = gm.at(sde, sde.T());
        INDArray x = pEps.sample(N, new Rng(100 + d), DataType.DOUBLE);
        INDArray truth = pEps.logDensity(x);

        for (double tol : new double[] {1e-5, 1e-6}) {
            ProbabilityFlowLikelihood pfl = new ProbabilityFlowLikelihood(sde, score, Divergence.exact(), Oracle.rk45(tol), EPS);
            long start = System.nanoTime();
            ProbabilityFlowLikelihood.Result r = pfl.logLikelihood(x, Rng.rows(1, 0, N));
            double seconds = (System.nanoTime() - start) / 1e9;
            INDArray viaPt = pT.logDensity(r.latent()).addi(r.deltaLogp());
            double mae = Transforms.abs(viaPt.sub(truth)).meanNumber().doubleValue();
            double max = Transforms.abs(viaPt.sub(truth)).maxNumber().doubleValue();
            double priorGap = Transforms.abs(r.logp().sub(truth)).meanNumber().doubleValue();
            System.out.printf("likelihood %-9s d=%d rk45 tol=%.0e: MAE %.2e nats (max %.2e), NFE %d, %.1f s;"
                            + " with the prior for p_T (the reported logp) MAE %.2e%n",
                    name, d, tol, mae, max, r.nfeMax(), seconds, priorGap);
            // the parts add up, and the latent has the data's shape
            assertThat(r.logp().sub(r.priorLogp()).sub(r.deltaLogp()).norm2Number().doubleValue()).isLessThan(1e-9);
            assertThat(r.priorLogp().sub(sde.priorLogp(r.latent())).norm2Number().doubleValue()).isLessThan(1e-9);
            assertThat(r.latent().shape()).containsExactly(N, d);
            assertThat(mae).as("%s d=%d tol=%s", name, d, tol).isLessThan(1e-3);
        }
    }

    @Test
    void aDataSetInBatchesGivesThePerBatchResults() {
        Sde sde = new VpSde(0.1, 20);
        GaussianMixture gm = Oracle.mixture(2, 42);
        DifferentiableScore score = Oracle.exactScore(gm, sde);
        INDArray data = gm.at(sde, EPS).sample(10, new Rng(5), DataType.DOUBLE);
        ProbabilityFlowLikelihood pfl = new ProbabilityFlowLikelihood(sde, score,
                Divergence.hutchinson(Divergence.Probe.RADEMACHER, 2), Oracle.rk45(1e-6), EPS);
        ProbabilityFlowLikelihood.Result all = pfl.logLikelihood(data, 4, 77);
        assertThat(all.batches()).isEqualTo(3);
        assertThat(all.logp().length()).isEqualTo(10);
        assertThat(all.latent().shape()).containsExactly(10, 2);
        assertThat(all.nfeMax()).isGreaterThanOrEqualTo((long) Math.ceil(all.nfe()));
        // batch [4, 8) alone, with the streams of rows 4..7: the same probes, the same trajectory
        ProbabilityFlowLikelihood.Result middle = pfl.logLikelihood(data.get(NDArrayIndex.interval(4, 8)).dup(), Rng.rows(77, 4, 4));
        assertThat(middle.logp().sub(all.logp().get(NDArrayIndex.interval(4, 8))).norm2Number().doubleValue()).isLessThan(1e-12);
        // a different batch split changes only the solver's step choice: agreement to its tolerance
        ProbabilityFlowLikelihood.Result whole = pfl.logLikelihood(data, 10, 77);
        assertThat(Transforms.abs(whole.logp().sub(all.logp())).maxNumber().doubleValue()).isLessThan(1e-3);
    }
}
