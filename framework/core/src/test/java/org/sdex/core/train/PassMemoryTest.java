package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.memory.PassMemory;
import org.sdex.spi.random.Rng;

/**
 * A network whose passes reuse the previous passes' arrays (and, once warm, replay them, see
 * {@link ReplayedPassTest}) computes exactly what a fresh network computes, hands out results that
 * later passes do not overwrite, and stops allocating once warm.
 */
class PassMemoryTest {
    static { Fixtures.quietNd4j(); }

    static ScoreNetwork network() {
        return new ScoreNetwork(Fixtures.mlp(TrainerTest.SDE, TrainerTest.DATA, DataType.FLOAT, 4, List.of(64, 64),
                "embeddingDim", 32, "initScale", 1.0), TrainerTest.DATA.shape(), DataType.FLOAT, true);
    }

    record Batch(INDArray x, INDArray labels, INDArray noise, INDArray weights) {
        static Batch of(long seed, int rows) {
            Rng rng = new Rng(seed);
            return new Batch(rng.normal(DataType.FLOAT, rows, 2), rng.uniform(DataType.FLOAT, rows).muli(999),
                    rng.normal(DataType.FLOAT, rows, 2), rng.uniform(DataType.FLOAT, rows));
        }
    }

    @Test
    void reusedArraysGiveExactlyTheFreshResults() {
        Batch b = Batch.of(1, 32);
        ScoreNetwork fresh = network();
        INDArray eps = fresh.predictNoise(b.x, b.labels);
        ScoreNetwork.LossAndGradients lg = fresh.lossAndGradients(b.x, b.labels, b.noise, b.weights);
        INDArray vjp = fresh.inputVjp(b.x, b.labels, b.noise);

        ScoreNetwork warm = network();
        for (int i = 0; i < 4; i++) { // other inputs first: the pool then holds their values
            Batch o = Batch.of(10 + i, 32);
            warm.predictNoise(o.x, o.labels);
            warm.lossAndGradients(o.x, o.labels, o.noise, o.weights);
            warm.inputVjp(o.x, o.labels, o.noise);
        }
        assertThat(warm.predictNoise(b.x, b.labels)).isEqualTo(eps);
        ScoreNetwork.LossAndGradients again = warm.lossAndGradients(b.x, b.labels, b.noise, b.weights);
        assertThat(again.loss()).isEqualTo(lg.loss());
        assertThat(again.gradients().keySet()).containsExactlyElementsOf(lg.gradients().keySet());
        lg.gradients().forEach((k, v) -> assertThat(again.gradients().get(k)).as(k).isEqualTo(v));
        assertThat(warm.inputVjp(b.x, b.labels, b.noise)).isEqualTo(vjp);
        assertThat(warm.passMemory().counts()[1]).as("arrays were reused").isGreaterThan(0);
        assertThat(warm.passMemory().replays()).as("and the warm passes were replays on them").isEqualTo(3);
    }

    @Test
    void resultsSurviveLaterPassesAndWarmPassesAllocateNothing() {
        ScoreNetwork net = network();
        Batch a = Batch.of(2, 16), b = Batch.of(3, 16);
        INDArray eps = net.predictNoise(a.x, a.labels);
        Map<String, INDArray> grads = net.lossAndGradients(a.x, a.labels, a.noise, a.weights).gradients();
        INDArray epsCopy = eps.dup();
        Map<String, INDArray> gradsCopy = new java.util.HashMap<>();
        grads.forEach((k, v) -> gradsCopy.put(k, v.dup()));
        for (int i = 0; i < 3; i++) {
            net.predictNoise(b.x, b.labels);
            net.lossAndGradients(b.x, b.labels, b.noise, b.weights);
        }
        assertThat(eps).isEqualTo(epsCopy);
        grads.forEach((k, v) -> assertThat(v).as(k).isEqualTo(gradsCopy.get(k)));
        long allocated = net.passMemory().counts()[0];
        for (int i = 0; i < 5; i++) {
            net.predictNoise(b.x, b.labels);
            net.lossAndGradients(b.x, b.labels, b.noise, b.weights);
        }
        assertThat(net.passMemory().counts()[0]).as("no new arrays once warm").isEqualTo(allocated);
        assertThat(net.passMemory().knows("forward")).as("the forward plan is learned").isTrue();
        assertThat(net.passMemory().knows("train")).as("the training plan is learned").isTrue();
    }

    @Test
    void aRecordingPassReturnsArraysAfterTheirLastReaderWithTheSameResults() {
        // one row: no plan is learnt first, so the first pass of each kind is the recording one
        Batch b = Batch.of(4, 1);
        ScoreNetwork net = network();
        INDArray eps = net.predictNoise(b.x, b.labels);
        assertThat(net.passMemory().counts()[2]).as("arrays released while the forward pass was recorded").isPositive();
        ScoreNetwork.LossAndGradients lg = net.lossAndGradients(b.x, b.labels, b.noise, b.weights);
        INDArray vjp = net.inputVjp(b.x, b.labels, b.noise);
        for (int i = 0; i < 3; i++) { // planned, then replayed
            assertThat(net.predictNoise(b.x, b.labels)).isEqualTo(eps);
            ScoreNetwork.LossAndGradients again = net.lossAndGradients(b.x, b.labels, b.noise, b.weights);
            assertThat(again.loss()).isEqualTo(lg.loss());
            lg.gradients().forEach((k, v) -> assertThat(again.gradients().get(k)).as(k).isEqualTo(v));
            assertThat(net.inputVjp(b.x, b.labels, b.noise)).isEqualTo(vjp);
        }
    }

    @Test
    void gradientsWithoutCopiesAreThePassArraysWithTheSameValues() {
        ScoreNetwork net = network();
        Batch b = Batch.of(5, 16);
        Map<String, INDArray> copied = net.lossAndGradients(b.x, b.labels, b.noise, b.weights).gradients();
        INDArray[] seen = new INDArray[1];
        for (int i = 0; i < 3; i++) {
            net.withLossAndGradients(b.x, b.labels, b.noise, b.weights, 0L, lg -> {
                lg.gradients().forEach((k, v) -> assertThat(v).as(k).isEqualTo(copied.get(k)));
                INDArray first = lg.gradients().values().iterator().next();
                if (seen[0] != null) assertThat(first).as("a replayed pass hands out its own array").isSameAs(seen[0]);
                seen[0] = first;
                first.assign(0); // the caller may use them as scratch space
                return null;
            });
        }
        Map<String, INDArray> after = net.lossAndGradients(b.x, b.labels, b.noise, b.weights).gradients();
        copied.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
        assertThat(after.values().iterator().next()).isNotSameAs(seen[0]);
    }

    @Test
    void thePoolHandsBackArraysByShapeAndClosesIdleOnes() {
        PassMemory m = new PassMemory();
        INDArray a = m.allocate(false, DataType.FLOAT, 3, 4);
        m.recycle();
        assertThat(m.allocate(false, DataType.FLOAT, 3, 4)).isSameAs(a);
        assertThat(m.allocate(false, DataType.FLOAT, 3, 4)).isNotSameAs(a);
        assertThat(m.allocate(false, DataType.DOUBLE, 3, 4)).isNotSameAs(a);
        m.recycle();
        for (int i = 0; i < 10; i++) { // passes of another batch size only
            m.allocate(false, DataType.FLOAT, 5, 4);
            m.recycle();
        }
        long before = m.counts()[0];
        m.allocate(false, DataType.FLOAT, 3, 4);
        assertThat(m.counts()[0]).as("the old shape was dropped").isEqualTo(before + 1);
        assertThat(a.wasClosed()).as("and its memory freed at once").isTrue();
        INDArray r = m.allocate(false, DataType.FLOAT, 5, 4);
        m.release(r); // SameDiff's own late releases are ignored: r stays with its holder
        assertThat(m.allocate(false, DataType.FLOAT, 5, 4)).isNotSameAs(r);
    }
}
