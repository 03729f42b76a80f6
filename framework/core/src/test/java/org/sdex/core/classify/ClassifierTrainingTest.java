package org.sdex.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.MetricsLog;
import org.sdex.plugins.data.image.FashionPlugin;
import org.sdex.plugins.data.image.MnistPlugin;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.random.Rng;
import org.sdex.testing.TestData;

/**
 * Classifiers trained on the real-data fixtures (400 training and 100 test images of Fashion-MNIST
 * and MNIST): accuracy well above chance in seconds, a noise-conditional one that loses its accuracy
 * as the VP SDE destroys the image, runs that repeat and resume exactly, verified checkpoints.
 */
class ClassifierTrainingTest {
    static LabelledSplit split(DatasetPlugin plugin, String file, String split) {
        Path root = TestData.require(file);
        return LabelledSplit.read(plugin.name() + " " + split,
                plugin.open(Params.of(plugin, Map.of()), new DataContext(root, DataType.FLOAT, split)), DataType.FLOAT);
    }

    static ClassifierSettings small() {
        return ClassifierSettings.defaults().withNetwork(List.of(16, 32, 64), 64).withBatchSize(64)
                .withLearningRate(3e-3, 20).withEmaDecay(0.99).withIntervals(10, 1000, 0, 1000);
    }

    private static List<Double> trainLosses(Path dir) {
        return MetricsLog.read(dir.resolve("metrics.jsonl")).stream().filter(n -> n.get("event").asText().equals("train"))
                .map(n -> n.get("loss").asDouble()).toList();
    }

    @Test
    void aCleanFashionClassifierReachesARealAccuracyOnTheFixture(@TempDir Path out) {
        LabelledSplit train = split(new FashionPlugin(), "fashion-train-images-idx3-ubyte.gz", "train");
        LabelledSplit test = split(new FashionPlugin(), "fashion-test-images-idx3-ubyte.gz", "test");
        long t0 = System.nanoTime();
        ClassifierTraining.Result r = new ClassifierTraining(small().withSteps(150), train, test, PluginChoice.of("fashion"), null, null)
                .run(out, s -> { });
        System.out.printf("MEASURED clean fashion fixture: %.3f in %.1f s%n", r.accuracy(), (System.nanoTime() - t0) / 1e9);
        assertThat(r.accuracy()).isGreaterThan(0.55); // measured 0.70 (150 steps); chance 0.1
        JsonNode eval = MetricsLog.read(out.resolve("metrics.jsonl")).stream()
                .filter(n -> n.get("event").asText().equals("eval")).reduce((a, b) -> b).orElseThrow();
        assertThat(eval.get("step").asInt()).isEqualTo(150);
        assertThat(eval.get("examples").asInt()).isEqualTo(100);
        assertThat(eval.get("accuracy").asDouble()).isEqualTo(r.accuracy());
        List<Double> losses = trainLosses(out);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5);
    }

    @Test
    void aNoiseConditionalVpClassifierLosesItsAccuracyWithTimeDownToChance(@TempDir Path out) {
        LabelledSplit train = split(new MnistPlugin(), "mnist10k-train-images-idx3-ubyte.gz", "train");
        LabelledSplit test = split(new MnistPlugin(), "mnist10k-test-images-idx3-ubyte.gz", "test");
        VpSde vp = new VpSde(0.1, 20);
        ClassifierTraining.Result r = new ClassifierTraining(small().withSteps(300), train, test, PluginChoice.of("mnist"),
                vp, PluginChoice.of("vp")).run(out, s -> { });
        List<ClassifierEvaluation.Score> bins = r.scores();
        double atT = ClassifierEvaluation.at(r.network(), test, 0, vp.T()).accuracy();
        double clean = ClassifierEvaluation.at(r.network(), test, 0, 0.01).accuracy();
        System.out.printf("MEASURED noisy mnist fixture: t=0.01 %.3f, bins %s, t=T %.3f%n", clean,
                bins.stream().map(s -> String.format("%.2f:%.2f", s.t(), s.accuracy())).toList(), atT);
        assertThat(bins).hasSize(5);
        // measured (300 steps): 0.34 at t = 0.01, bins 0.39 0.25 0.16 0.15 0.10, 0.04 at T; chance 0.1
        assertThat(clean).isGreaterThan(0.25);
        assertThat(bins.get(0).accuracy()).isGreaterThan(bins.get(4).accuracy() + 0.15);
        assertThat(atT).isLessThan(0.25); // chance 0.1; at T nothing of the image is left (alpha(1) = 0.0066)
        JsonNode eval = MetricsLog.read(out.resolve("metrics.jsonl")).stream()
                .filter(n -> n.get("event").asText().equals("eval")).reduce((a, b) -> b).orElseThrow();
        assertThat(eval.get("byNoiseLevel")).hasSize(5);
        assertThat(eval.get("byNoiseLevel").get(4).get("accuracy").asDouble()).isEqualTo(bins.get(4).accuracy());
    }

    @Test
    void theSameSeedRepeatsTheLossCurveAndAResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        LabelledSplit train = split(new FashionPlugin(), "fashion-train-images-idx3-ubyte.gz", "train");
        LabelledSplit test = split(new FashionPlugin(), "fashion-test-images-idx3-ubyte.gz", "test");
        ClassifierSettings s = small().withSteps(12).withIntervals(1, 1000, 0, 6);
        VpSde vp = new VpSde(0.1, 20);
        ClassifierTraining.Result a = new ClassifierTraining(s, train, test, PluginChoice.of("fashion"), vp, PluginChoice.of("vp"))
                .run(dir.resolve("a"), m -> { });
        new ClassifierTraining(s.withSteps(6), train, test, PluginChoice.of("fashion"), vp, PluginChoice.of("vp")).run(dir.resolve("b"), m -> { });
        ClassifierTraining.Result b = new ClassifierTraining(s, train, test, PluginChoice.of("fashion"), vp, PluginChoice.of("vp"))
                .run(dir.resolve("b"), m -> { });
        ClassifierTraining.Result other = new ClassifierTraining(s.withSeed(1), train, test, PluginChoice.of("fashion"), vp,
                PluginChoice.of("vp")).run(dir.resolve("c"), m -> { });

        assertThat(trainLosses(dir.resolve("a"))).hasSize(12).isEqualTo(trainLosses(dir.resolve("b")));
        assertThat(trainLosses(dir.resolve("c"))).isNotEqualTo(trainLosses(dir.resolve("a")));
        ClassifierCheckpoint ca = ClassifierCheckpoint.load(dir.resolve("a"));
        ClassifierCheckpoint cb = ClassifierCheckpoint.load(dir.resolve("b"));
        assertThat(ca.step()).isEqualTo(12);
        assertThat(ca.checkpoint().weights()).isEqualTo(cb.checkpoint().weights());
        assertThat(ca.checkpoint().emaWeights()).isEqualTo(cb.checkpoint().emaWeights());
        assertThat(ca.checkpoint().adamSecondMoments()).isEqualTo(cb.checkpoint().adamSecondMoments());
        assertThat(a.accuracy()).isEqualTo(b.accuracy());
        assertThat(other.network().weights()).isNotEqualTo(a.network().weights());

        // another learning rate does not continue this folder
        assertThatThrownBy(() -> new ClassifierTraining(s.withLearningRate(1e-3, 20).withSteps(20), train, test,
                PluginChoice.of("fashion"), vp, PluginChoice.of("vp")).run(dir.resolve("a"), m -> { }))
                .isInstanceOf(SdexException.class).hasMessageContaining("lr 0.003 -> 0.001").hasMessageNotContaining("\n");
    }

    @Test
    void aCheckpointRoundTripIsExactAndADamagedOneIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        LabelledSplit train = split(new FashionPlugin(), "fashion-train-images-idx3-ubyte.gz", "train");
        LabelledSplit test = split(new FashionPlugin(), "fashion-test-images-idx3-ubyte.gz", "test");
        ClassifierTraining.Result r = new ClassifierTraining(small().withSteps(5), train, test,
                new PluginChoice("fashion", Map.of("centered", false)), null, null).run(dir, m -> { });
        ClassifierCheckpoint c = ClassifierCheckpoint.load(r.checkpoint());
        assertThat(c.data()).isEqualTo(new PluginChoice("fashion", Map.of("centered", false)));
        assertThat(c.sde()).isNull();
        assertThat(c.architecture()).isEqualTo(r.network().architecture());
        ClassifierNetwork back = c.network(p -> { throw new AssertionError("a clean classifier has no SDE"); });
        assertThat(back.weights()).isEqualTo(r.network().weights());
        INDArray x = test.images(0, 8);
        assertThat(back.logits(x, null)).isEqualTo(r.network().logits(x, null));
        assertThat(back.features(x)).isEqualTo(r.network().features(x));
        assertThat(back.features(x).shape()).containsExactly(8, 64);

        Path damaged = dir.resolve("damaged.sdex");
        Files.copy(r.checkpoint(), damaged);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int v = f.read();
            f.seek(f.length() / 2);
            f.write(v ^ 0x40);
        }
        assertThatThrownBy(() -> ClassifierCheckpoint.load(damaged)).isInstanceOf(SdexException.class)
                .hasMessageContaining("damaged.sdex").hasMessageContaining("checksum").hasMessageNotContaining("\n");
    }

    @Test
    void dataThatAreNotLabelledImagesAreRefusedInOneLine() {
        Dataset points = new Dataset() {
            @Override public long[] shape() { return new long[] {2}; }
            @Override public INDArray sample(int n, Rng rng) { return Nd4j.zeros(n, 2); }
            @Override public OptionalLong size() { return OptionalLong.of(10); }
        };
        assertThatThrownBy(() -> LabelledSplit.read("gmm train", points, DataType.FLOAT)).isInstanceOf(SdexException.class)
                .hasMessage("gmm train: a classifier needs images [C, H, W], the data set gives examples of shape [2]");
        Dataset unlabelled = new Dataset() {
            @Override public long[] shape() { return new long[] {1, 4, 4}; }
            @Override public INDArray sample(int n, Rng rng) { return Nd4j.zeros(n, 1, 4, 4); }
            @Override public OptionalLong size() { return OptionalLong.of(3); }
            @Override public INDArray examples(long from, int count) { return Nd4j.zeros(count, 1, 4, 4); }
            @Override public Optional<int[]> labels(long from, int count) { return Optional.empty(); }
        };
        assertThatThrownBy(() -> LabelledSplit.read("folder train", unlabelled, DataType.FLOAT)).isInstanceOf(SdexException.class)
                .hasMessageStartingWith("folder train: the data set has no labels");
        assertThatThrownBy(() -> ClassifierSettings.defaults().withBatchSize(0)).isInstanceOf(SdexException.class)
                .hasMessage("classifier setting batchSize = 0: must be an integer >= 1");
    }
}
