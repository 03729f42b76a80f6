package org.sdex.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.core.train.Fixtures;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/** The divergence strategies: the exact trace, Hutchinson's unbiasedness, probes per example. */
class DivergenceTest {
    static final double EPS = 1e-5;

    @BeforeAll
    static void quiet() { Fixtures.quietNd4j(); }

    /** For one Gaussian N(m, C) the score's Jacobian is -C^-1 everywhere: tr = -tr(C^-1). */
    @Test
    void exactTraceOfAGaussianIsMinusTheTraceOfItsPrecision() {
        double[][] c = {{0.5, 0.1, 0.0}, {0.1, 0.3, -0.05}, {0.0, -0.05, 0.2}};
        GaussianMixture g = new GaussianMixture(new double[] {1}, new double[][] {{1, -1, 0.5}}, new double[][][] {c});
        Sde sde = new VpSde(0.1, 20);
        DifferentiableScore score = Oracle.exactScore(g, sde);
        double t = 0.3;
        double[][] ct = g.at(sde, t).covariance(0);
        double expected = -traceOfInverse(ct);
        INDArray x = g.at(sde, t).sample(5, new Rng(1), DataType.DOUBLE);
        for (int maxRows : new int[] {1, 5, 7, 4096}) {
            INDArray tr = Divergence.exact(maxRows).begin(5, 3, new Rng(0)).trace(score, x, t);
            for (int i = 0; i < 5; i++) assertThat(tr.getDouble(i)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-10));
        }
    }

    /** On a mixture, the exact trace is the finite-difference divergence of the score, whatever the vjp batching. */
    @Test
    void exactTraceIsTheFiniteDifferenceDivergence() {
        int d = 6;
        GaussianMixture gm = Oracle.mixture(d, 46);
        for (Sde sde : new Sde[] {new VpSde(0.1, 20), new SubVpSde(0.1, 20), new VeSde(0.01, 50)}) {
            DifferentiableScore score = Oracle.exactScore(gm, sde);
            double t = 0.05;
            INDArray x = gm.at(sde, t).sample(8, new Rng(2), DataType.DOUBLE).muli(0.9);
            double h = 1e-5 * (sde.meanScale(t) + sde.marginalStd(t));
            INDArray fd = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, 8);
            for (int j = 0; j < d; j++) {
                INDArray plus = x.dup(), minus = x.dup();
                plus.getColumn(j).addi(h);
                minus.getColumn(j).subi(h);
                fd.addi(score.score(plus, t).getColumn(j).sub(score.score(minus, t).getColumn(j)).divi(2 * h));
            }
            INDArray one = Divergence.exact().begin(8, d, null).trace(score, x, t);
            INDArray many = Divergence.exact(16).begin(8, d, null).trace(score, x, t); // 2 dims per call, 3 calls
            double scale = Math.max(1, Transforms.abs(fd).maxNumber().doubleValue());
            assertThat(Transforms.abs(one.sub(fd)).maxNumber().doubleValue()).isLessThan(1e-5 * scale);
            assertThat(Transforms.abs(many.sub(one)).maxNumber().doubleValue()).isLessThan(1e-12 * scale);
        }
    }

    /**
     * Hutchinson's log-likelihood is unbiased: the same points, each replicated R times with its
     * own probe stream and one probe per row, average to the closed form. Pooled over the points
     * (the mean error over all probes) within 3 standard errors; each point within 4 (24 checks
     * in all, so a family-wise bound).
     */
    @ParameterizedTest
    @EnumSource(Divergence.Probe.class)
    void hutchinsonLikelihoodIsUnbiased(Divergence.Probe probe) {
        int d = 6, points = 6, replicas = 200;
        Sde[] sdes = {new VpSde(0.1, 20), new VeSde(0.01, 50)};
        for (int si = 0; si < sdes.length; si++) {
            Sde sde = sdes[si];
            GaussianMixture gm = Oracle.mixture(d, 40 + d);
            DifferentiableScore score = Oracle.exactScore(gm, sde);
            GaussianMixture pEps = gm.at(sde, EPS), pT = gm.at(sde, sde.T());
            INDArray x = pEps.sample(points, new Rng(9 + si), DataType.DOUBLE);
            INDArray truth = pEps.logDensity(x);
            INDArray batch = x.repeat(0, replicas); // point-major: rows p R .. p R + R - 1 are point p
            assertThat(batch.getRow(replicas + 7)).isEqualTo(x.getRow(1));
            ProbabilityFlowLikelihood pfl = new ProbabilityFlowLikelihood(sde, score, Divergence.hutchinson(probe, 1),
                    Oracle.rk45(1e-6), EPS);
            // independent probes for every (probe type, SDE): Rademacher probes are signs of normals
            long seed = 2024 + 10L * si + probe.ordinal();
            ProbabilityFlowLikelihood.Result r = pfl.logLikelihood(batch, Rng.rows(seed, 0, points * replicas));
            INDArray est = pT.logDensity(r.latent()).addi(r.deltaLogp());
            double errSum = 0, varSum = 0;
            for (int p = 0; p < points; p++) {
                INDArray e = est.get(NDArrayIndex.interval(p * replicas, (p + 1) * replicas));
                double mean = e.meanNumber().doubleValue();
                double se = e.stdNumber().doubleValue() / Math.sqrt(replicas);
                double z = (mean - truth.getDouble(p)) / se;
                errSum += mean - truth.getDouble(p);
                varSum += se * se;
                System.out.printf("hutchinson %-10s %-5s point %d: mean %.5f, closed form %.5f, SE %.4f, z = %+.2f%n",
                        probe, sde.getClass().getSimpleName(), p, mean, truth.getDouble(p), se, z);
                assertThat(se).isGreaterThan(0);
                assertThat(Math.abs(z)).as("%s %s point %d", probe, sde.getClass().getSimpleName(), p).isLessThan(4);
            }
            double pooledZ = errSum / Math.sqrt(varSum);
            System.out.printf("hutchinson %-10s %-5s pooled over %d points x %d probes: mean error %+.4f nats, z = %+.2f (NFE %d)%n",
                    probe, sde.getClass().getSimpleName(), points, replicas, errSum / points, pooledZ, r.nfeMax());
            assertThat(Math.abs(pooledZ)).as("%s %s pooled", probe, sde.getClass().getSimpleName()).isLessThan(3);
        }
    }

    /** Probes have the right law, and example i's probes come from its own stream, whatever the batch. */
    @ParameterizedTest
    @EnumSource(Divergence.Probe.class)
    void probesBelongToTheirExamples(Divergence.Probe probe) {
        HutchinsonDivergence h = new HutchinsonDivergence(probe, 4, 4096);
        INDArray all = h.draw(10, 5, Rng.rows(3, 0, 10));
        INDArray tail = h.draw(6, 5, Rng.rows(3, 4, 6));
        assertThat(tail).isEqualTo(all.get(NDArrayIndex.interval(4, 10)).dup());
        assertThat(all.shape()).containsExactly(10, 4, 5);
        INDArray many = h.draw(2000, 5, Rng.rows(4, 0, 2000));
        double mean = many.meanNumber().doubleValue();
        double second = many.mul(many).meanNumber().doubleValue();
        assertThat(Math.abs(mean)).isLessThan(0.02);
        assertThat(second).isCloseTo(1.0, org.assertj.core.data.Offset.offset(probe == Divergence.Probe.RADEMACHER ? 1e-12 : 0.03));
        if (probe == Divergence.Probe.RADEMACHER) {
            assertThat(Transforms.abs(many).minNumber().doubleValue()).isEqualTo(1.0);
        }
    }

    @Test
    void byName() {
        assertThat(Divergence.of("exact", null, 0).name()).isEqualTo("exact");
        Divergence h = Divergence.of("hutchinson", "gaussian", 3);
        assertThat(h.name()).isEqualTo("hutchinson");
        assertThat(((HutchinsonDivergence) h).probe()).isEqualTo(Divergence.Probe.GAUSSIAN);
        assertThat(h.begin(2, 4, new Rng(1)).vjpRowsPerExample()).isEqualTo(3);
        assertThatThrownBy(() -> Divergence.of("hutch", "gaussian", 3)).hasMessage("unknown divergence 'hutch'. Accepted: exact, hutchinson");
        assertThatThrownBy(() -> Divergence.of("hutchinson", "uniform", 3)).hasMessage("unknown probe 'uniform'. Accepted: rademacher, gaussian");
        assertThatThrownBy(() -> Divergence.hutchinson(Divergence.Probe.GAUSSIAN, 0)).hasMessageContaining("at least one probe");
    }

    static double traceOfInverse(double[][] a) {
        // 3x3 inverse by cofactors: tr(A^-1) = sum of the diagonal cofactors / det
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        double c00 = a[1][1] * a[2][2] - a[1][2] * a[2][1];
        double c11 = a[0][0] * a[2][2] - a[0][2] * a[2][0];
        double c22 = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        return (c00 + c11 + c22) / det;
    }
}
