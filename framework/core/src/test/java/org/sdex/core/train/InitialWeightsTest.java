package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.error.SdexException;
import org.sdex.core.interop.NetworkWeights;
import org.sdex.core.interop.ReferenceWeights.Choice;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.sde.Sde;

/** A network starts from a run directory, a checkpoint, or an exported file: the chosen weights, exactly. */
class InitialWeightsTest {
    static { Fixtures.quietNd4j(); }

    static final Sde SDE = new VpSde(0.1, 20);
    static final Fixtures.MixtureData DATA = new Fixtures.MixtureData(Fixtures.GAUSSIAN_2D, DataType.FLOAT);

    @TempDir Path dir;

    static ScoreNetwork network(long seed, List<Integer> hidden) {
        return new ScoreNetwork(Fixtures.mlp(SDE, DATA, DataType.FLOAT, seed, hidden, "embeddingDim", 8), DATA.shape(), DataType.FLOAT, true);
    }

    @Test
    void startsFromTheChosenWeightsOfARunACheckpointOrAnExport() throws Exception {
        Path run = dir.resolve("run");
        ScoreNetwork trained = network(1, List.of(16));
        Trainer t = new Trainer(trained, SDE, DATA, Fixtures.settings("steps", 30, "batchSize", 16, "checkpointEvery", 10, "lr", 1e-2, "ema", 0.9));
        TrainingState state = t.initialState();
        t.train(state, new CheckpointStore(run.resolve("checkpoints"), 3), (step, loss, lr, norm) -> {});
        Map<String, INDArray> raw = trained.copyWeights();
        Map<String, INDArray> ema = state.ema().weights();
        assertThat(raw.get(trained.weightNames().get(0))).isNotEqualTo(ema.get(trained.weightNames().get(0)));

        assertLoads(new InitialWeights(run, Choice.EMA), ema);
        assertLoads(new InitialWeights(run, Choice.MODEL), raw);
        assertLoads(new InitialWeights(run.resolve("checkpoints/ckpt-20.sdex"), Choice.MODEL),
                CheckpointStore.load(run.resolve("checkpoints/ckpt-20.sdex")).weights());
        Path st = dir.resolve("w.safetensors");
        NetworkWeights.save(trained, st);
        new InitialWeights(st, Choice.MODEL).check();
        assertLoads(new InitialWeights(st, Choice.MODEL), raw);
    }

    @Test
    void aSourceThatDoesNotFitOrDoesNotExistIsOneLine() throws Exception {
        ScoreNetwork small = network(1, List.of(16));
        Path st = dir.resolve("small.safetensors");
        NetworkWeights.save(small, st);
        assertThatThrownBy(() -> new InitialWeights(st, Choice.MODEL).loadInto(network(2, List.of(32))))
                .isInstanceOf(SdexException.class).hasMessageMatching("small.safetensors: weight '.*' has shape \\[.*\\] in the file, \\[.*\\] in the model");
        assertThatThrownBy(() -> new InitialWeights(dir.resolve("none.pth"), Choice.EMA).check())
                .hasMessageEndingWith("none.pth': no such file or directory");
        Path txt = Files.writeString(dir.resolve("weights.txt"), "x");
        assertThatThrownBy(() -> new InitialWeights(txt, Choice.EMA).check()).hasMessageContaining("not a run directory, an .sdex checkpoint");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> new InitialWeights(empty, Choice.EMA).check()).hasMessageContaining("a folder without checkpoints/");
    }

    private void assertLoads(InitialWeights init, Map<String, INDArray> expected) {
        try (ScoreNetwork fresh = network(7, List.of(16))) {
            init.loadInto(fresh);
            for (String w : fresh.weightNames()) {
                assertThat(fresh.weights().get(w).castTo(DataType.DOUBLE)).as(init.describe() + " " + w)
                        .isEqualTo(expected.get(w).castTo(DataType.DOUBLE));
            }
        }
    }
}
