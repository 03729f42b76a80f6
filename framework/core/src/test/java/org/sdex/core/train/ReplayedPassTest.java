package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.train.PassMemoryTest.Batch;

/**
 * Replayed passes (see {@code ReplayedPass}) compute exactly what SameDiff computes: a fresh network's
 * first full pass always goes through SameDiff, so it is the reference for a warm network's replays.
 */
class ReplayedPassTest {
    static { Fixtures.quietNd4j(); }

    private static ScoreNetwork warm(int rows) {
        ScoreNetwork net = PassMemoryTest.network();
        for (int i = 0; i < 2; i++) {
            Batch o = Batch.of(20 + i, rows);
            net.predictNoise(o.x(), o.labels());
            net.lossAndGradients(o.x(), o.labels(), o.noise(), o.weights());
            net.inputVjp(o.x(), o.labels(), o.noise());
        }
        assertThat(net.passMemory().replays()).as("forward, training and VJP passes are replayed").isEqualTo(3);
        return net;
    }

    private static void assertSameResults(ScoreNetwork replayed, ScoreNetwork reference, Batch b) {
        assertThat(replayed.predictNoise(b.x(), b.labels())).isEqualTo(reference.predictNoise(b.x(), b.labels()));
        ScoreNetwork.LossAndGradients r = replayed.lossAndGradients(b.x(), b.labels(), b.noise(), b.weights());
        ScoreNetwork.LossAndGradients s = reference.lossAndGradients(b.x(), b.labels(), b.noise(), b.weights());
        assertThat(r.loss()).isEqualTo(s.loss());
        s.gradients().forEach((k, v) -> assertThat(r.gradients().get(k)).as(k).isEqualTo(v));
        assertThat(replayed.inputVjp(b.x(), b.labels(), b.noise())).isEqualTo(reference.inputVjp(b.x(), b.labels(), b.noise()));
    }

    @Test
    void weightsChangedInPlaceAreSeenByTheReplay() {
        ScoreNetwork net = warm(16);
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0, net.weights());
        for (int step = 0; step < 3; step++) {
            Batch b = Batch.of(30 + step, 16);
            ScoreNetwork reference = PassMemoryTest.network();
            reference.loadWeights(net.weights());
            assertSameResults(net, reference, b);
            adam.step(net.weights(), net.lossAndGradients(b.x(), b.labels(), b.noise(), b.weights()).gradients(), 1e-2);
        }
        Map<String, INDArray> loaded = PassMemoryTest.network().copyWeights(); // other values, loaded by assign
        net.loadWeights(loaded);
        ScoreNetwork reference = PassMemoryTest.network();
        reference.loadWeights(loaded);
        assertSameResults(net, reference, Batch.of(40, 16));
    }

    @Test
    void otherShapesAndReplacedArraysGoBackToSameDiff() {
        ScoreNetwork net = warm(8);
        ScoreNetwork reference = PassMemoryTest.network();
        reference.loadWeights(net.weights());
        Batch wide = Batch.of(50, 12);
        // 12 rows: recorded anew, and the VJP graph's input variable gets a new array of 12 rows ...
        assertThat(net.inputVjp(wide.x(), wide.labels(), wide.noise()))
                .isEqualTo(reference.inputVjp(wide.x(), wide.labels(), wide.noise()));
        // ... which the VJP replay for 8 rows did not read: it is dropped, the pass goes through SameDiff
        Batch narrow = Batch.of(51, 8);
        ScoreNetwork fresh = PassMemoryTest.network();
        fresh.loadWeights(net.weights());
        assertThat(net.inputVjp(narrow.x(), narrow.labels(), narrow.noise()))
                .isEqualTo(fresh.inputVjp(narrow.x(), narrow.labels(), narrow.noise()));
        assertSameResults(net, fresh, narrow);
        assertSameResults(net, fresh, narrow);
        // replays left unused for a few passes are forgotten (their arrays can then be freed)
        for (int i = 0; i < 10; i++) net.predictNoise(narrow.x(), narrow.labels());
        assertThat(net.passMemory().replays()).as("only the forward pass at 8 rows is still held").isEqualTo(1);
        assertThat(net.predictNoise(narrow.x(), narrow.labels())).isEqualTo(fresh.predictNoise(narrow.x(), narrow.labels()));
    }

    @Test
    void replayedResultsAreCopies() {
        ScoreNetwork net = warm(8);
        Batch a = Batch.of(60, 8), b = Batch.of(61, 8);
        INDArray eps = net.predictNoise(a.x(), a.labels());
        INDArray vjp = net.inputVjp(a.x(), a.labels(), a.noise());
        INDArray epsCopy = eps.dup(), vjpCopy = vjp.dup();
        net.predictNoise(b.x(), b.labels());
        net.inputVjp(b.x(), b.labels(), b.noise());
        assertThat(eps).isEqualTo(epsCopy);
        assertThat(vjp).isEqualTo(vjpCopy);
    }
}
