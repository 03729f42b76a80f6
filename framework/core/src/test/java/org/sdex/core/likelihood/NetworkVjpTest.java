package org.sdex.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.train.Fixtures;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * The trained network's input-VJP (through a second SameDiff graph whose input is a variable)
 * equals central finite differences of its score, follows the live weights, handles changing batch
 * sizes, and keeps memory flat over many calls.
 */
class NetworkVjpTest {
    static final int D = 3;
    static final GaussianMixture DATA = new GaussianMixture(new double[] {0.6, 0.4},
            new double[][] {{1, 0, -1}, {-1, 0.5, 0}}, new double[][][] {
                    {{0.3, 0, 0}, {0, 0.2, 0.05}, {0, 0.05, 0.1}}, {{0.2, 0, 0}, {0, 0.2, 0}, {0, 0, 0.2}}});

    @BeforeAll
    static void quiet() { Fixtures.quietNd4j(); }

    static ScoreNetwork network(Sde sde, DataType type) {
        // initScale 1: the default zero output layer would make every Jacobian zero
        NetworkModel mlp = Fixtures.mlp(sde, new Fixtures.MixtureData(DATA, type), type, 5, List.of(32, 32), "initScale", 1.0);
        return new ScoreNetwork(mlp, new long[] {D}, type, true);
    }

    /** max |vjp - v^T J_fd| over the batch, with J from central differences of the score, relative to max |vjp|. */
    static double[] vjpError(DifferentiableScore score, INDArray x, INDArray v, double t, double h) {
        INDArray vjp = score.vjp(x, t, v);
        int b = (int) x.size(0);
        double err = 0, norm = 0;
        INDArray fd = x.like();
        for (int j = 0; j < D; j++) {
            INDArray plus = x.dup(), minus = x.dup();
            plus.getColumn(j).addi(h);
            minus.getColumn(j).subi(h);
            INDArray dsdxj = score.score(plus, t).subi(score.score(minus, t)).divi(2 * h); // column j of J, per row
            fd.getColumn(j).assign(dsdxj.mul(v).sum(1));
        }
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < D; j++) {
                err = Math.max(err, Math.abs(vjp.getDouble(r, j) - fd.getDouble(r, j)));
                norm = Math.max(norm, Math.abs(vjp.getDouble(r, j)));
            }
        }
        return new double[] {err, norm};
    }

    @Test
    void vjpMatchesFiniteDifferencesOfTheScore() {
        for (Sde sde : new Sde[] {new VpSde(0.1, 20), new VeSde(0.01, 50)}) {
            ScoreNetwork net = network(sde, DataType.DOUBLE);
            DifferentiableScore score = net.scoreFunction(sde);
            for (double t : new double[] {0.01, 0.3, 0.9}) {
                GaussianMixture pt = DATA.at(sde, t);
                INDArray x = pt.sample(16, new Rng(3), DataType.DOUBLE);
                INDArray v = new Rng(4).normal(DataType.DOUBLE, 16, D);
                INDArray xCopy = x.dup(), vCopy = v.dup();
                double[] e = vjpError(score, x, v, t, 1e-6 * (sde.meanScale(t) + sde.marginalStd(t)));
                System.out.printf("network vjp %s t=%.2f: max |vjp - fd| = %.3e (max |vjp| = %.3e)%n",
                        sde.getClass().getSimpleName(), t, e[0], e[1]);
                assertThat(e[1]).isGreaterThan(0);
                assertThat(e[0]).isLessThan(1e-6 * Math.max(1, e[1]));
                assertThat(x).isEqualTo(xCopy);
                assertThat(v).isEqualTo(vCopy);
            }
        }
    }

    /** The exact divergence strategy on the network: its trace is the finite-difference divergence of the score. */
    @Test
    void exactTraceOfTheNetworkIsTheFiniteDifferenceDivergence() {
        Sde sde = new VpSde(0.1, 20);
        DifferentiableScore score = network(sde, DataType.DOUBLE).scoreFunction(sde);
        double t = 0.2, h = 1e-6;
        INDArray x = DATA.at(sde, t).sample(10, new Rng(12), DataType.DOUBLE);
        INDArray fd = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, 10);
        for (int j = 0; j < D; j++) {
            INDArray plus = x.dup(), minus = x.dup();
            plus.getColumn(j).addi(h);
            minus.getColumn(j).subi(h);
            fd.addi(score.score(plus, t).getColumn(j).sub(score.score(minus, t).getColumn(j)).divi(2 * h));
        }
        INDArray oneCall = Divergence.exact().begin(10, D, null).trace(score, x, t);
        INDArray twoCalls = Divergence.exact(20).begin(10, D, null).trace(score, x, t); // 2 dims, then 1
        double err = oneCall.sub(fd).amaxNumber().doubleValue();
        System.out.printf("network exact trace: max |trace - fd| = %.2e (max |fd| = %.2e)%n", err, fd.amaxNumber().doubleValue());
        assertThat(err).isLessThan(1e-6 * Math.max(1, fd.amaxNumber().doubleValue()));
        assertThat(twoCalls.sub(oneCall).amaxNumber().doubleValue()).isLessThan(1e-10);
    }

    @Test
    void vjpFollowsTheLiveWeightsAndTheBatchSize() {
        Sde sde = new VpSde(0.1, 20);
        ScoreNetwork net = network(sde, DataType.DOUBLE);
        DifferentiableScore score = net.scoreFunction(sde);
        INDArray x = DATA.sample(8, new Rng(5), DataType.DOUBLE);
        INDArray v = new Rng(6).normal(DataType.DOUBLE, 8, D);
        INDArray before = score.vjp(x, 0.4, v);
        // new weights (as loading EMA weights does): the VJP must change with them, and stay correct
        Map<String, INDArray> w = net.copyWeights();
        w.replaceAll((k, a) -> a.mul(1.3));
        net.loadWeights(w);
        INDArray after = score.vjp(x, 0.4, v);
        assertThat(after.sub(before).norm2Number().doubleValue()).isGreaterThan(1e-3);
        assertThat(vjpError(score, x, v, 0.4, 1e-6)[0]).isLessThan(1e-6 * Math.max(1, vjpError(score, x, v, 0.4, 1e-6)[1]));
        // other batch sizes, then back: each row's VJP does not depend on the rest of the batch
        INDArray firstThree = score.vjp(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)), 0.4,
                v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)));
        assertThat(firstThree.sub(after.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))).norm2Number().doubleValue())
                .isLessThan(1e-12);
        assertThat(score.vjp(x, 0.4, v).sub(after).norm2Number().doubleValue()).isLessThan(1e-12);
        // float input to a double network gives float output
        assertThat(score.vjp(x.castTo(DataType.FLOAT), 0.4, v.castTo(DataType.FLOAT)).dataType()).isEqualTo(DataType.FLOAT);
    }

    /**
     * 300 products on one batch: neither the live Java heap nor the process's resident set (which
     * holds ND4J's off-heap arrays) grows after warm-up beyond allocator noise. A gradient with
     * respect to a placeholder grew by tens of GB in the same situation. ND4J frees an array's
     * native memory only when the JVM collects its Java object, and the tiny Java objects put no
     * pressure on the heap, so without a GC now and then garbage (not a leak) piles up for as long
     * as the JVM pleases and sets the allocator's high-water mark; the loop collects every 10 calls
     * so that RSS measures what is retained.
     */
    @Test
    void memoryStaysFlatOverManyCalls() {
        Sde sde = new VpSde(0.1, 20);
        ScoreNetwork net = network(sde, DataType.FLOAT);
        DifferentiableScore score = net.scoreFunction(sde);
        int rows = 1024;
        INDArray x = DATA.sample(rows, new Rng(7), DataType.FLOAT);
        INDArray v = new Rng(8).normal(DataType.FLOAT, rows, D);
        int[] marks = {50, 100, 150, 200, 250, 300};
        long[][] m = new long[marks.length][];
        int k = 0;
        long start = System.nanoTime();
        for (int i = 1; i <= 300; i++) {
            INDArray r = score.vjp(x, 0.001 + 0.99 * i / 300.0, v);
            assertThat(r.shape()).containsExactly(rows, D);
            if (i == marks[k]) {
                m[k] = memory();
                System.out.printf("network vjp after %d calls: heap %.2f MB, RSS %.1f MB%n", i, m[k][0] / 1e6, m[k][1] / 1e6);
                k++;
            } else if (i % 10 == 0) {
                System.gc();
            }
        }
        System.out.printf("network vjp: %.1f ms per call (%d rows, including the GCs)%n", (System.nanoTime() - start) / 300e6, rows);
        // One call's activations and gradients take several MB (1024 rows, 128-wide embedding):
        // keeping just 0.5 MB per call would grow RSS by 100 MB over calls 100..300, past the bound;
        // runs without a leak grew 23-32 MB (the allocator taking a new chunk now and then).
        assertThat(m[5][0] - m[1][0]).isLessThan(8L << 20);
        assertThat(m[5][1] - m[1][1]).isLessThan(96L << 20);
    }

    /** {used Java heap, resident set size} after full GCs. */
    static long[] memory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        Runtime rt = Runtime.getRuntime();
        return new long[] {rt.totalMemory() - rt.freeMemory(), Pointer.physicalBytes()};
    }
}
