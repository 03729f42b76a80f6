package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.run.ExperimentRunner;
import org.sdex.core.run.ExperimentValidator;
import org.sdex.core.run.RunOptions;
import org.sdex.core.run.RunResult;
import org.sdex.testing.TestData;

/**
 * Every script in experiments/ validates, against a data root holding the repository's real-data
 * fixtures (test-data/: a few hundred MNIST and Fashion-MNIST images) and CIFAR-10 batches in the
 * standard binary format written here; the CIFAR experiments and the class-conditional Fashion-MNIST one
 * also train two steps and sample with their network shrunk by --set overrides, the way one
 * smoke-tests a GPU config on a laptop.
 */
class RepositoryExperimentsTest {
    @TempDir static Path root;

    static final Path EXPERIMENTS = Path.of("../../experiments");

    /** Two 3073-byte records per batch file: a label byte, then 1024 R, 1024 G, 1024 B bytes. */
    @BeforeAll
    static void dataRoot() throws IOException {
        Path fixtures = TestData.require("fashion-train-images-idx3-ubyte.gz");
        try (Stream<Path> files = Files.list(fixtures)) {
            for (Path f : files.toList()) Files.createSymbolicLink(root.resolve(f.getFileName()), f.toAbsolutePath());
        }
        Path cifar = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        List<String> names = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin");
        for (int f = 0; f < names.size(); f++) {
            try (OutputStream out = Files.newOutputStream(cifar.resolve(names.get(f)))) {
                for (int r = 0; r < 2; r++) {
                    out.write((f + r) % 10);
                    for (int i = 0; i < 3072; i++) out.write((i * 7 + f * 13 + r) & 0xFF);
                }
            }
        }
    }

    static Stream<Path> scripts() throws IOException {
        try (Stream<Path> s = Files.list(EXPERIMENTS)) {
            return s.filter(p -> p.toString().endsWith(".groovy") && !SAMPLE_ONLY.contains(p.getFileName().toString())).sorted().toList().stream();
        }
    }

    /** Scripts that sample from trained weights (init:), which the repository does not hold. */
    static final List<String> SAMPLE_ONLY = List.of("fashion_inpaint.groovy", "fashion_superres.groovy", "fashion_deblur.groovy",
            "mnist_classifier_guidance.groovy", "mnist_cfg.groovy");

    static Stream<String> sampleOnly() { return SAMPLE_ONLY.stream(); }

    /** As written, one clear line that the weights are missing; with any weights there, the rest validates. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleOnly")
    void sampleOnlyScriptsSayTheirCheckpointIsMissingAndOtherwiseValidate(String name) throws IOException {
        ExperimentConfig config = ExperimentLoader.load(EXPERIMENTS.resolve(name));
        assertThatThrownBy(() -> validator(root).validate(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model setting 'init': no file or directory 'runs/");
        Path weights = Files.createDirectories(root.resolve("weights-" + name));
        List<String> sets = new java.util.ArrayList<>(List.of("model.init=" + weights));
        // the committed judge, seen from this module (the script names it from the checkout's root)
        if (name.equals("mnist_cfg.groovy")) sets.add("condition.judge=" + EXPERIMENTS.resolve("classifiers/mnist10k.sdex"));
        ExperimentConfig given = Overrides.apply(ExperimentLoader.load(EXPERIMENTS.resolve(name)), sets);
        if (name.equals("mnist_classifier_guidance.groovy")) {
            // its noise-conditional classifier is trained by a command the script names
            assertThatThrownBy(() -> validator(root).validate(given)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("condition").hasMessageContaining("no classifier checkpoint 'runs/classifier-mnist-vp'");
            return;
        }
        ExperimentPlan plan = validator(root).validate(given);
        int samples = name.equals("mnist_cfg.groovy") ? 80 : 64; // 8 of each of 10 digits
        assertThat(plan.condition().samples()).isEqualTo(samples);
        assertThat(plan.sample().n()).isEqualTo(samples);
    }

    private static ExperimentValidator validator(Path out) {
        return new ExperimentValidator(Validation.REGISTRY, RunOptions.defaults(root, out));
    }

    /**
     * What stands in, here, for inputs a script names relative to the checkout's root or that the
     * checkout does not hold: the trained weights a sample-only script starts from (validation only
     * checks that they are there), and the committed classifier seen from this module.
     */
    static List<String> standIns(Path script) throws IOException {
        if (!script.getFileName().toString().equals("fashion_samplers_fid.groovy")) return List.of();
        Path trained = Files.createDirectories(root.resolve("trained-fashion-run"));
        return List.of("model.init=" + trained, "evaluate.checkpoint=" + EXPERIMENTS.resolve("classifiers/fashion.sdex"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void validates(Path script) throws IOException {
        ExperimentPlan plan = validator(root).validate(Overrides.apply(ExperimentLoader.load(script), standIns(script)));
        assertThat(plan.name()).isNotBlank();
    }

    @Test
    void theSamplerComparisonSaysWhenTheTrainedWeightsAreMissing() {
        Path script = EXPERIMENTS.resolve("fashion_samplers_fid.groovy");
        assertThatThrownBy(() -> validator(root).validate(ExperimentLoader.load(script))).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("fashion_samplers_fid.groovy:23: model setting 'init': no file or directory 'runs/fashion_subvp'"
                        + " (name the trained weights with --set model.init=PATH)");
    }

    /** The CIFAR configs, and the class-conditional Fashion-MNIST one (labelled batches and held-out loss). */
    static Stream<String> shrunk() { return Stream.of("cifar_subvp.groovy", "cifar_ve.groovy", "fashion_cfg.groovy"); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shrunk")
    void configsTrainAndSampleWhenShrunk(String name) {
        ExperimentConfig config = Overrides.apply(ExperimentLoader.load(EXPERIMENTS.resolve(name)), List.of(
                "model.nf=8", "model.chMult=[1,2]", "model.numResBlocks=1", "model.attnResolutions=[16]",
                "train.steps=2", "train.batchSize=2", "train.warmup=1", "train.evalEvery=1", "train.evalBatches=1",
                "train.sampleEvery=0", "train.checkpointEvery=1",
                "sample.steps=3", "sample.n=2", "sample.batchSize=2"));
        config.sections.remove("likelihood");
        Path out = root.resolve("runs-" + name);
        ExperimentValidator v = validator(out);
        ExperimentPlan plan = v.validate(config);
        RunResult r = new ExperimentRunner(RunOptions.defaults(root, out)).run(plan);
        assertThat(r.runDir().resolve("samples.npy")).exists();
        assertThat(r.runDir().resolve("checkpoints")).isDirectoryContaining("glob:**/ckpt-2.sdex");
        assertThat(r.summary()).containsKey("train");
    }
}
