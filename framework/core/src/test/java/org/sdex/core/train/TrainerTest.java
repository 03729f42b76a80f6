package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.SdexException;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/** Training the mlp: it learns the score, repeats itself exactly for a seed, and resumes exactly. */
class TrainerTest {
    static { Fixtures.quietNd4j(); }

    static final Sde SDE = new VpSde(0.1, 20);
    static final Fixtures.MixtureData DATA = new Fixtures.MixtureData(Fixtures.GAUSSIAN_2D, DataType.FLOAT);

    static ScoreNetwork network(List<Integer> hidden, long seed) {
        return new ScoreNetwork(Fixtures.mlp(SDE, DATA, DataType.FLOAT, seed, hidden, "embeddingDim", 32),
                DATA.shape(), DataType.FLOAT, true);
    }

    /** Losses by step (index 0 = step 1) of a run from the state's step to the settings' last step. */
    static double[] run(Trainer trainer, TrainingState state, CheckpointStore store, int stopAfter) {
        List<Double> losses = new ArrayList<>();
        trainer.train(state, store, (step, loss, lr, norm) -> {
            losses.add(loss);
            if (step == stopAfter) throw new IllegalStateException("interrupted at " + step);
        });
        return losses.stream().mapToDouble(d -> d).toArray();
    }

    /** Relative L2 error of the network's score against the exact one, on points drawn from p_t. */
    static double scoreError(ScoreFunction learned, GaussianMixture data, double t) {
        GaussianMixture pt = data.at(SDE, t);
        INDArray x = pt.sample(2000, new Rng(99), DataType.FLOAT);
        INDArray exact = pt.score(x).castTo(DataType.DOUBLE);
        INDArray diff = learned.score(x, t).castTo(DataType.DOUBLE).sub(exact);
        return Math.sqrt(diff.mul(diff).sumNumber().doubleValue() / exact.mul(exact).sumNumber().doubleValue());
    }

    @Test
    void learnsTheScoreOfAGaussian() {
        ScoreNetwork net = network(List.of(128, 128), 1);
        ScoreFunction score = net.scoreFunction(SDE);
        double before = scoreError(score, Fixtures.GAUSSIAN_2D, 0.5);
        TrainSettings s = Fixtures.settings("steps", 400, "batchSize", 256, "lr", 2e-3, "warmup", 20, "seed", 5);
        Trainer trainer = new Trainer(net, SDE, DATA, s);
        TrainingState state = trainer.initialState();
        double[] losses = run(trainer, state, null, -1);

        double first = Arrays.stream(losses, 0, 20).average().orElseThrow();
        double last = Arrays.stream(losses, 350, 400).average().orElseThrow();
        double after = scoreError(score, Fixtures.GAUSSIAN_2D, 0.5);
        net.loadWeights(state.ema().weights());
        double ema = scoreError(score, Fixtures.GAUSSIAN_2D, 0.5);
        System.out.printf("loss %.4f -> %.4f; score error at t=0.5: %.3f before, %.3f after, %.3f with EMA weights; "
                + "at t=0.2: %.3f%n", first, last, before, after, ema, scoreError(score, Fixtures.GAUSSIAN_2D, 0.2));
        assertThat(last).isLessThan(0.6 * first);
        assertThat(before).isGreaterThan(0.9);
        assertThat(after).isLessThan(0.1);
        assertThat(ema).isLessThan(0.1);
    }

    @Test
    void sameSeedSameLossesBitForBit() {
        TrainSettings s = Fixtures.settings("steps", 30, "batchSize", 64, "lr", 1e-3, "seed", 8);
        double[] a = run(new Trainer(network(List.of(64, 64), 2), SDE, DATA, s), null, -1);
        double[] b = run(new Trainer(network(List.of(64, 64), 2), SDE, DATA, s), null, -1);
        assertThat(b).containsExactly(a);
        double[] other = run(new Trainer(network(List.of(64, 64), 2), SDE, DATA, Fixtures.settings("steps", 30, "batchSize", 64,
                "lr", 1e-3, "seed", 9)), null, -1);
        assertThat(other).isNotEqualTo(a);
    }

    private static double[] run(Trainer trainer, CheckpointStore store, int stopAfter) {
        return run(trainer, trainer.initialState(), store, stopAfter);
    }

    @Test
    void resumedRunRepeatsTheUninterruptedOne(@TempDir Path tmp) {
        TrainSettings s = Fixtures.settings("steps", 40, "batchSize", 64, "lr", 1e-3, "warmup", 5, "checkpointEvery", 10,
                "ema", 0.99, "seed", 4);
        ScoreNetwork straightNet = network(List.of(64, 64), 3);
        Trainer straight = new Trainer(straightNet, SDE, DATA, s);
        TrainingState straightState = straight.initialState();
        double[] all = run(straight, straightState, new CheckpointStore(tmp.resolve("a"), 3), -1);
        assertThat(all).hasSize(40);

        CheckpointStore store = new CheckpointStore(tmp.resolve("b"), 3);
        Trainer first = new Trainer(network(List.of(64, 64), 3), SDE, DATA, s);
        assertThatThrownBy(() -> run(first, first.initialState(), store, 25)).hasMessageContaining("interrupted at 25");
        assertThat(store.latestStep()).contains(20);

        // a new process: fresh network and state, restored from the newest checkpoint
        ScoreNetwork net = network(List.of(64, 64), 3);
        Trainer second = new Trainer(net, SDE, DATA, s);
        TrainingState state = second.initialState();
        assertThat(store.restoreLatest(net, state)).contains(20);
        double[] rest = run(second, state, store, -1);

        assertThat(rest).containsExactly(Arrays.copyOfRange(all, 20, 40));
        for (String w : net.weightNames()) {
            assertThat(net.weights().get(w)).as(w).isEqualTo(straightNet.weights().get(w));
            assertThat(state.ema().weights().get(w)).as("ema " + w).isEqualTo(straightState.ema().weights().get(w));
        }
        assertThat(store.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("ckpt-40.sdex", "ckpt-30.sdex", "ckpt-20.sdex");
    }

    /** The mixture data, changed by {@code poison} on chosen calls (numbered from 1). */
    private static Dataset poisoned(java.util.function.BiConsumer<Integer, INDArray> poison) {
        return new Dataset() {
            int calls;

            @Override public long[] shape() { return DATA.shape(); }

            @Override
            public INDArray sample(int n, Rng rng) {
                INDArray x = DATA.sample(n, rng);
                poison.accept(++calls, x);
                return x;
            }
        };
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        Dataset poisoned = poisoned((call, x) -> {
            if (call == 5) x.putScalar(3, Double.NaN);
        });
        TrainSettings s = Fixtures.settings("steps", 10, "batchSize", 32, "checkpointEvery", 2);
        CheckpointStore store = new CheckpointStore(tmp, 3);
        List<Integer> seen = new ArrayList<>();
        Trainer trainer = new Trainer(network(List.of(16), 1), SDE, poisoned, s);
        assertThatThrownBy(() -> trainer.train(trainer.initialState(), store, (step, loss, lr, norm) -> seen.add(step)))
                .isInstanceOf(SdexException.class)
                .hasMessageContaining("training diverged at step 5: the loss is NaN")
                .hasMessageContaining("ckpt-4.sdex")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(seen).containsExactly(1, 2, 3, 4);
        assertThat(store.latestValid()).get().satisfies(c -> assertThat(c.step()).isEqualTo(4));
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("ckpt-2.sdex", "ckpt-4.sdex");
    }

    @Test
    void aGarbageCheckpointBeforeTheDivergenceIsNotKept(@TempDir Path tmp) throws Exception {
        // steps 5 and 6 see data a million times too large (a finite, absurd loss), step 7 a NaN
        Dataset poisoned = poisoned((call, x) -> {
            if (call == 5 || call == 6) x.muli(1e6);
            if (call == 7) x.putScalar(3, Double.NaN);
        });
        TrainSettings s = Fixtures.settings("steps", 10, "batchSize", 32, "checkpointEvery", 2);
        CheckpointStore store = new CheckpointStore(tmp, 3);
        Trainer trainer = new Trainer(network(List.of(16), 1), SDE, poisoned, s);
        assertThatThrownBy(() -> trainer.train(trainer.initialState(), store, (step, loss, lr, norm) -> { }))
                .isInstanceOf(org.sdex.core.error.ComputeFailure.class)
                .hasMessageStartingWith("training diverged at step 7: the loss is NaN; kept " + tmp.resolve("ckpt-4.sdex") + " (step 4, loss ")
                .hasMessageContaining("the last checkpoint whose loss was finite and within 100x the running loss; not written: step 6 (loss ");
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("ckpt-2.sdex", "ckpt-4.sdex");
    }

    @Test
    void reportsLearningRateAndPreClipGradientNorm() {
        TrainSettings s = Fixtures.settings("steps", 4, "batchSize", 32, "lr", 1e-3, "warmup", 4, "gradClip", 1e-3);
        List<double[]> seen = new ArrayList<>();
        Trainer trainer = new Trainer(network(List.of(16), 1), SDE, DATA, s);
        trainer.train(trainer.initialState(), null, (step, loss, lr, norm) -> seen.add(new double[] {lr, norm}));
        assertThat(seen).extracting(a -> a[0]).containsExactly(2.5e-4, 5e-4, 7.5e-4, 1e-3);
        // the reported norm is the one before clipping to 1e-3
        assertThat(seen).allSatisfy(a -> assertThat(a[1]).isGreaterThan(1e-2));
    }
}
