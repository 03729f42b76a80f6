package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.EvaluateSettings;
import org.sdex.core.evaluate.ClassifierFeatures;
import org.sdex.core.evaluate.ImageMetrics;
import org.sdex.core.evaluate.SampleEvaluation;
import org.sdex.core.run.MetricsLog;
import org.sdex.plugins.data.image.FashionPlugin;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.random.Rng;
import org.sdex.testing.TestData;

/**
 * The {@code evaluate { }} block on the Fashion-MNIST fixture (100 test, 400 training images) with
 * the committed Fashion classifier's features: closed-form anchors of the evaluation (a split
 * against itself scores FID 0, noisier copies score more), a run that writes the numbers, and one
 * line per mistake before anything is computed.
 */
class EvaluateBlockTest {
    static final Path CLASSIFIER = Path.of("../../experiments/classifiers/fashion.sdex").toAbsolutePath().normalize();

    @TempDir Path dir;

    private static Dataset fashion(String split) {
        return new FashionPlugin().open(Params.of(new FashionPlugin(), Map.of("centered", true)),
                new DataContext(TestData.require("fashion-test-images-idx3-ubyte.gz"), DataType.FLOAT, split));
    }

    private static EvaluateSettings settings(int n) {
        return new EvaluateSettings("test", n, "classifier", CLASSIFIER.toString(), "", 64, 20, 50, 0);
    }

    @Test
    void theTestSplitAgainstItselfScoresZeroAndNoiseRaisesFidInOrder() {
        Dataset test = fashion("test");
        ClassifierFeatures features = ClassifierFeatures.open(CLASSIFIER, test.shape(), 64);
        SampleEvaluation evaluation = new SampleEvaluation(features, ImageMetrics.find(), test, fashion("train"), settings(0));
        INDArray images = test.examples(0, 100);

        SampleEvaluation.Result same = evaluation.evaluate(images);
        assertThat(same.samples().fid()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4)); // rounding in the eigendecompositions
        assertThat(same.samples().n()).isEqualTo(100);
        assertThat(same.samples().nReference()).isEqualTo(100);
        // the baseline: 100 training images against the same 100 test images, what real data score at this size
        assertThat(same.baseline()).isNotNull();
        assertThat(same.baseline().n()).isEqualTo(100);
        assertThat(same.baseline().fid()).isGreaterThan(0.01);
        assertThat(same.baselineSource()).isEqualTo("the first 100 images of the train split");

        double previous = same.samples().fid();
        for (double sigma : new double[] {0.1, 0.3, 0.8}) {
            INDArray noisy = images.add(new Rng(5).normal(DataType.FLOAT, images.shape()).muli(sigma));
            double fid = evaluation.evaluate(noisy).samples().fid();
            assertThat(fid).as("noise %s", sigma).isGreaterThan(previous);
            previous = fid;
        }
        // noise of 0.8 (in [-1, 1] pixels) is far from the data: beyond what real images score
        assertThat(previous).isGreaterThan(same.baseline().fid());
    }

    @Test
    void aRunWritesFidKidAndTheBaselineToMetricsAndEvaluateJson() throws IOException {
        String script = script("e2e", "'fashion', centered: true", "sample { solver 'ddim'; steps 3; n 16; plot false }",
                "features 'classifier'", "checkpoint '" + CLASSIFIER + "'", "kidSubsets 10");
        Sdex.Result r = Sdex.run(dir, "run", script, "--data", data(), "--out", dir.resolve("runs").toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("evaluate: FID \\d+\\.\\d{3}, KID -?\\d\\.\\d{4} ± \\d\\.\\d{4} \\(16 samples against 100 reference images\\);"
                + " real images at the same sizes: FID \\d+\\.\\d{3}");
        Path run;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
        JsonNode e = MetricsLog.read(run.resolve("metrics.jsonl")).stream().filter(n -> n.path("event").asText().equals("evaluate"))
                .findFirst().orElseThrow();
        for (String key : List.of("fid", "kid", "kidSe", "fidBaseline", "kidBaseline", "seconds")) assertThat(e.get(key).isNumber()).as(key).isTrue();
        assertThat(e.get("n").asInt()).isEqualTo(16);
        assertThat(e.get("nReference").asInt()).isEqualTo(100);
        assertThat(e.get("kidSubsetSize").asInt()).isEqualTo(16);
        assertThat(e.get("baseline").asText()).isEqualTo("the first 16 images of the train split against the same reference");
        assertThat(e.get("features").asText()).contains("fashion.sdex (128 features)");
        // samples of a model trained for 20 steps are far from the data; 16 real images are not
        assertThat(e.get("fid").asDouble()).isGreaterThan(e.get("fidBaseline").asDouble());
        assertThat(Files.readString(run.resolve("evaluate.json"))).contains("\"fidBaseline\"");
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"evaluate\"").contains("\"featureNetwork\"");
    }

    @Test
    void mistakesAreOneLineNamingTheLineBeforeAnyCompute() throws IOException {
        String ckpt = "checkpoint '" + CLASSIFIER + "'";
        expect(script("a", "'fashion'", "", "features 'classifier'", ckpt),
                "a.groovy:7: evaluate measures the run's samples; add a sample { ... } block");
        expect(script("b", "'moons'", SAMPLE, "features 'classifier'", ckpt),
                "b.groovy:7: evaluate compares images; data 'moons' gives draws of a distribution of shape [2], not 8-bit images [C, H, W]");
        expect(script("c", "'fashion'", SAMPLE, "features 'classifier'"),
                "c.groovy:8: features 'classifier' needs its checkpoint, like checkpoint 'experiments/classifiers/fashion.sdex'"
                        + " (a clean classifier of sdex classifier train)");
        expect(script("d", "'fashion'", SAMPLE, "features 'classifier'", "checkpoint 'nowhere.sdex'"),
                "d.groovy:9: evaluate setting 'checkpoint': no classifier checkpoint 'nowhere.sdex' (neither a file nor a folder)");
        expect(script("e", "'cifar10'", SAMPLE, "features 'classifier'", ckpt),
                "e.groovy:9: evaluate setting 'checkpoint': " + CLASSIFIER + " classifies images of shape [1, 28, 28], the data's are"
                        + " [3, 32, 32]; use a classifier trained on this data set");
        expect(script("f", "'fashion'", SAMPLE, "features 'inception'", ckpt),
                "f.groovy:9: evaluate setting 'checkpoint' applies to features 'classifier', not 'inception'; remove it");
        Path nowhere = dir.resolve("pt_inception.pth");
        expect(script("g", "'fashion'", SAMPLE, "inception '" + nowhere + "'"),
                "g.groovy:8: features 'inception' needs the FID Inception weights, not found at " + nowhere + "; download "
                        + ImageMetrics.INCEPTION_URL + " there or name the file with inception 'PATH' (sdex does not ship them;"
                        + " for MNIST/Fashion use features 'classifier')");
        expect(script("h", "'fashion'", SAMPLE, "features 'classifier'", ckpt, "n 500"),
                "h.groovy:10: evaluate setting 'n' must be 0 (all) or from 2 to the test split's 100 images, got 500");
        expect(script("i", "'fashion'", SAMPLE, "features 'classifier'", ckpt, "split 'validation'"),
                "i.groovy:10: evaluate setting 'split' must be test, train, got 'validation'");
        expect(script("j", "'fashion'", "sample { n 1 }", "features 'classifier'", ckpt),
                "j.groovy:7: evaluate needs at least 2 samples; sample setting 'n' is 1");
        // the reference split's files are missing: named at the split's line
        Path trainOnly = Files.createDirectories(dir.resolve("train-only"));
        for (String f : List.of("fashion-train-images-idx3-ubyte.gz", "fashion-train-labels-idx1-ubyte.gz")) {
            Files.createSymbolicLink(trainOnly.resolve(f), Path.of(data()).resolve(f));
        }
        Sdex.Result missing = Sdex.run(dir, "run", script("k", "'fashion'", SAMPLE, "split 'test'", "features 'classifier'", ckpt),
                "--data", trainOnly.toString(), "--out", dir.resolve("runs").toString());
        assertThat(missing.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(missing.err().strip()).startsWith("error: ").contains("k.groovy:8: ").contains("test").doesNotContain("\n");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void theSamplerComparisonsPointsEachValidateWithOneWayOfSampling() throws IOException {
        Path trained = Files.createDirectories(dir.resolve("trained"));
        Path script = Path.of("../../experiments/fashion_samplers_fid.groovy").toAbsolutePath().normalize();
        Sdex.Result list = Sdex.run(dir, "sweep", script.toString(), "--list", "--data", data(),
                "--set", "model.init=" + trained, "--set", "evaluate.checkpoint=" + CLASSIFIER);
        assertThat(list.code()).as(list.out() + list.err()).isZero();
        assertThat(list.out()).contains("euler_maruyama-1000", "reverse_diffusion-langevin-500", "rk45", "dpm_solver_pp-10",
                "dpm_solver_pp-20", "edm_heun-10", "ddim-20");
    }

    private static final String SAMPLE = "sample { solver 'ddim'; steps 2; n 4 }";

    private void expect(String script, String message) throws IOException {
        Sdex.Result r = Sdex.run(dir, "validate", script, "--data", cifarAndFashion().toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(r.err().strip()).startsWith("error: ").endsWith(message).doesNotContain("\n");
    }

    /** The fixtures, and CIFAR-10 batches of two records each in the standard binary format. */
    private Path cifarAndFashion() throws IOException {
        Path root = dir.resolve("data");
        if (Files.isDirectory(root)) return root;
        Files.createDirectories(root);
        try (Stream<Path> files = Files.list(Path.of(data()))) {
            for (Path f : files.toList()) Files.createSymbolicLink(root.resolve(f.getFileName()), f.toAbsolutePath());
        }
        Path cifar = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        List<String> names = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin");
        for (String name : names) {
            try (OutputStream out = Files.newOutputStream(cifar.resolve(name))) {
                for (int r = 0; r < 2; r++) {
                    out.write(r);
                    for (int i = 0; i < 3072; i++) out.write((i * 7 + r) & 0xFF);
                }
            }
        }
        return root;
    }

    private static String data() { return TestData.require("fashion-test-images-idx3-ubyte.gz").toString(); }

    /** A small trained network; the evaluate block's settings one per line from line 8. */
    private String script(String name, String data, String sample, String... evaluate) throws IOException {
        String text = """
                experiment('%s') {
                    data %s
                    sde 'vp'
                    model 'mlp', hidden: [32]
                    train { steps 20; batchSize 16; lr 1e-3; logEvery 10; checkpointEvery 20 }
                    %s
                    evaluate {
                        %s
                    }
                }
                """.formatted(name, data, sample, String.join("\n        ", evaluate));
        return Files.writeString(dir.resolve(name + ".groovy"), text).toString();
    }
}
