package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model ..., init: RUN}: a trained run's weights are sampled from without training again — the
 * samples equal the training run's own, bit for bit — and a file that does not fit is one line before
 * any run directory exists.
 */
class InitWeightsTest {
    @TempDir Path dir;

    private Sdex.Result sdex(String... args) { return Sdex.run(dir, Map.of(), args); }

    private String script(String name, String modelLine, boolean train) throws Exception {
        String text = """
                experiment('%s') {
                    seed 3
                    data 'gmm'
                    sde 'vp'
                    %s
                    %s
                    sample { steps 20; n 64; plot false }
                }
                """.formatted(name, modelLine, train ? "train { steps 30; batchSize 64; lr 1e-2; checkpointEvery 10; logEvery 10 }" : "");
        return Files.writeString(dir.resolve(name + ".groovy"), text).toString();
    }

    @Test
    void samplesFromATrainedRunWithoutTrainingAgain() throws Exception {
        Path runs = dir.resolve("runs");
        Sdex.Result trained = sdex("run", script("first", "model 'mlp', hidden: [32, 32]", true), "--out", runs.toString(), "--no-progress");
        assertThat(trained.code()).as(trained.err()).isZero();
        Path first = onlyRun(runs, "first");
        String init = "model 'mlp', hidden: [32, 32], init: '" + first + "'";
        Sdex.Result again = sdex("run", script("again", init, false), "--out", runs.toString(), "--no-progress");
        assertThat(again.code()).as(again.err()).isZero();
        Path second = onlyRun(runs, "again");
        assertThat(Files.readAllBytes(second.resolve("samples.npy"))).isEqualTo(Files.readAllBytes(first.resolve("samples.npy")));
        assertThat(Files.exists(second.resolve("checkpoints"))).isFalse();
        assertThat(Files.readString(second.resolve("config.json"))).contains("\"init\"").contains("\"weights\" : \"ema\"");
    }

    @Test
    void aSourceThatDoesNotFitIsOneLineAndNoRunDirectory() throws Exception {
        Path runs = dir.resolve("runs");
        assertThat(sdex("run", script("small", "model 'mlp', hidden: [16]", true), "--out", runs.toString(), "--no-progress").code()).isZero();
        Path small = onlyRun(runs, "small");
        Sdex.Result misfit = sdex("run", script("wide", "model 'mlp', hidden: [64], init: '" + small + "'", false), "--out", runs.toString());
        assertThat(misfit.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(misfit.err().strip()).contains("does not fit this model").doesNotContain("\n");
        try (Stream<Path> s = Files.list(runs)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("wide"));
        }
        Sdex.Result missing = sdex("validate", script("none", "model 'mlp', init: 'nowhere.pth'", false));
        assertThat(missing.err()).contains("none.groovy:5: model setting 'init': no file or directory 'nowhere.pth'");
        Sdex.Result weights = sdex("validate", script("w", "model 'mlp', init: '" + small + "', weights: 'best'", false));
        assertThat(weights.err()).contains("w.groovy:5: model setting 'weights' must be ema, model, got 'best'");
        Sdex.Result analytic = sdex("validate", script("a", "model 'exact', init: '" + small + "'", false));
        assertThat(analytic.err()).contains("a.groovy:5: model 'exact' is analytic and has no weights to initialise");
    }

    private static Path onlyRun(Path runs, String name) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
        }
    }
}
