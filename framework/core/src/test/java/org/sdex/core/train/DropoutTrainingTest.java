package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.config.TrainSettings;
import org.sdex.spi.model.NetworkModel;

/**
 * Models with training-only layers train through their training graph (dropout on, masks seeded
 * by seed and step), evaluate and sample through the eval graph, and still repeat and resume exactly.
 */
class DropoutTrainingTest {
    static { Fixtures.quietNd4j(); }

    /** The mlp with inverted dropout (p = 0.5) on its output in training graphs only. */
    record Dropping(NetworkModel inner) implements NetworkModel {
        @Override
        public SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel) {
            return inner.define(sd, x, noiseLabel);
        }

        @Override
        public SDVariable defineForTraining(SameDiff sd, SDVariable x, SDVariable noiseLabel) {
            SDVariable out = inner.define(sd, x, noiseLabel);
            long[] shape = x.getShape();
            return out.mul(sd.random.bernoulli(0.5, x.dataType(), shape).mul(2.0));
        }

        @Override
        public boolean trainsDifferently() { return true; }
    }

    static ScoreNetwork network(long seed) {
        NetworkModel mlp = Fixtures.mlp(TrainerTest.SDE, TrainerTest.DATA, DataType.FLOAT, seed, List.of(64, 64), "embeddingDim", 32, "initScale", 1.0);
        return new ScoreNetwork(new Dropping(mlp), TrainerTest.DATA.shape(), DataType.FLOAT, true);
    }

    @Test
    void theTrainingGraphDropsWithSeededMasksAndTheEvalGraphDoesNot() {
        ScoreNetwork net = network(3);
        TrainSettings s = Fixtures.settings("steps", 1, "batchSize", 64, "seed", 2);
        Trainer trainer = new Trainer(net, TrainerTest.SDE, TrainerTest.DATA, s);
        trainer.fillBatch(new org.sdex.spi.random.Rng(5));
        INDArray[] b = trainer.lastBatch();
        double a1 = net.lossAndGradients(b[0], b[1], b[2], b[3], 11).loss();
        double a2 = net.lossAndGradients(b[0], b[1], b[2], b[3], 11).loss();
        double other = net.lossAndGradients(b[0], b[1], b[2], b[3], 12).loss();
        assertThat(a2).as("same layer seed, same masks").isEqualTo(a1);
        assertThat(other).as("another seed, other masks").isNotEqualTo(a1);

        // eval mode: deterministic, and the loss without masks is the mean of (eps_hat - z)^2
        INDArray e1 = net.predictNoise(b[0], b[1]).dup();
        assertThat(net.predictNoise(b[0], b[1])).isEqualTo(e1);
        INDArray d = e1.sub(b[2]);
        double evalLoss = d.mul(d).meanNumber().doubleValue();
        assertThat(a1).isNotCloseTo(evalLoss, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void withDropoutARunRepeatsAndResumesExactly(@TempDir Path tmp) {
        TrainSettings s = Fixtures.settings("steps", 30, "batchSize", 64, "lr", 1e-3, "warmup", 5, "checkpointEvery", 10,
                "seed", 9);
        ScoreNetwork straightNet = network(3);
        Trainer straight = new Trainer(straightNet, TrainerTest.SDE, TrainerTest.DATA, s);
        double[] all = TrainerTest.run(straight, straight.initialState(), null, -1);
        Trainer again = new Trainer(network(3), TrainerTest.SDE, TrainerTest.DATA, s);
        assertThat(TrainerTest.run(again, again.initialState(), null, -1)).containsExactly(all);
        double early = Arrays.stream(all, 0, 5).average().orElseThrow();
        double late = Arrays.stream(all, 25, 30).average().orElseThrow();
        assertThat(late).as("it learns through the training graph").isLessThan(early);

        CheckpointStore store = new CheckpointStore(tmp, 3);
        Trainer first = new Trainer(network(3), TrainerTest.SDE, TrainerTest.DATA, s);
        try {
            TrainerTest.run(first, first.initialState(), store, 15);
        } catch (IllegalStateException interrupted) {
            // stopped after step 15; the checkpoint of step 10 is on disk
        }
        ScoreNetwork net = network(3);
        Trainer second = new Trainer(net, TrainerTest.SDE, TrainerTest.DATA, s);
        TrainingState state = second.initialState();
        assertThat(store.restoreLatest(net, state)).contains(10);
        assertThat(TrainerTest.run(second, state, store, -1)).containsExactly(Arrays.copyOfRange(all, 10, 30));
        for (String w : net.weightNames()) assertThat(net.weights().get(w)).as(w).isEqualTo(straightNet.weights().get(w));
    }
}
