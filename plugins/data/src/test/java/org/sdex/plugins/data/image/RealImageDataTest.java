package org.sdex.plugins.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.LabelledDraw;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.data.MissingDataException;
import org.sdex.spi.random.Rng;
import org.sdex.testing.TestData;

/**
 * Real Fashion-MNIST and MNIST images: the fixtures in test-data/ are the first 400 training and
 * 100 test images of each, cut from the official files and kept in the gzipped IDX format. The
 * expected statistics were computed from the files' bytes with Python's gzip module.
 */
class RealImageDataTest {
    private static ImageData open(DatasetPlugin plugin, Path root, DataType type, String split, Object... kv) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) params.put((String) kv[i], kv[i + 1]);
        return (ImageData) plugin.open(Params.of(plugin, params), new DataContext(root, type, split));
    }

    /** Mean and extremes over the whole split, read through {@link ImageData#examples} in batches. */
    private static double[] stats(ImageData d) {
        long n = d.size().orElseThrow();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long values = 0;
        for (long from = 0; from < n; from += 10_000) {
            INDArray x = d.examples(from, (int) Math.min(10_000, n - from));
            sum += x.sumNumber().doubleValue();
            min = Math.min(min, x.minNumber().doubleValue());
            max = Math.max(max, x.maxNumber().doubleValue());
            values += x.length();
        }
        return new double[] {sum / values, min, max};
    }

    private static int[] histogram(ImageData d) {
        int n = (int) d.size().orElseThrow();
        int[] h = new int[10];
        for (int label : d.labels(0, n).orElseThrow()) h[label]++;
        return h;
    }

    @Test
    void fashionTrainIntoBytesWithTheKnownStatistics() {
        Path root = TestData.require("fashion-train-images-idx3-ubyte.gz");
        ImageData train = open(new FashionPlugin(), root, DataType.DOUBLE, "train");
        assertThat(train.shape()).containsExactly(1, 28, 28);
        assertThat(train.size()).hasValue(400);
        assertThat(train.storedBytes()).isEqualTo(400L * 784);
        assertThat(histogram(train)).containsExactly(43, 36, 41, 36, 39, 40, 37, 47, 36, 45);
        assertThat(train.labels(0, 5).orElseThrow()).containsExactly(4, 2, 3, 4, 1);

        double[] s = stats(train);
        assertThat(s[0]).isCloseTo(0.279047, offset(1e-6));
        assertThat(s[1]).isEqualTo(0.0);
        assertThat(s[2]).isEqualTo(1.0);

        INDArray batch = train.sample(256, new Rng(1));
        assertThat(batch.shape()).containsExactly(256, 1, 28, 28);
        assertThat(train.sample(256, new Rng(1))).isEqualTo(batch);
        ImageData padded = open(new FashionPlugin(), root, DataType.FLOAT, "train", "limit", 100, "pad", 2, "randomFlip", true);
        assertThat(padded.size()).hasValue(100);
        assertThat(padded.sample(128, new Rng(2)).shape()).containsExactly(128, 1, 32, 32);
    }

    @Test
    void labelledDrawsAreTheDrawnExamplesWithTheirStoredLabels() {
        Path root = TestData.require("fashion-train-images-idx3-ubyte.gz");
        ImageData train = open(new FashionPlugin(), root, DataType.DOUBLE, "train", "limit", 50, "randomFlip", false);
        assertThat(train.classes()).isEqualTo(10);
        assertThat(train.classNames()).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
        LabelledDraw draw = train.sampleLabelled(64, new Rng(3));
        assertThat(draw.examples()).isEqualTo(train.sample(64, new Rng(3)));
        INDArray stored = train.examples(0, 50).reshape(50, 784);
        INDArray drawn = draw.examples().reshape(64, 784);
        int[] labels = train.labels(0, 50).orElseThrow();
        for (int i = 0; i < 64; i++) {
            int found = -1;
            for (int j = 0; j < 50 && found < 0; j++) if (stored.getRow(j).equals(drawn.getRow(i))) found = j;
            assertThat(found).as("draw %d is a stored example", i).isNotNegative();
            assertThat(draw.labels()[i]).as("label of draw %d (example %d)", i, found).isEqualTo(labels[found]);
        }
        // the classes of a labelled set without names: its labels 0..max
        assertThat(open(new IdxPlugin(), root, DataType.DOUBLE, "train", "prefix", "fashion", "limit", 5).classes())
                .isEqualTo(5); // labels 4, 2, 3, 4, 1
    }

    @Test
    void fashionTestCenteredAndPadded() {
        Path root = TestData.require("fashion-test-images-idx3-ubyte.gz");
        ImageData test = open(new FashionPlugin(), root, DataType.FLOAT, "test", "centered", true, "pad", 2);
        assertThat(test.size()).hasValue(100);
        assertThat(test.shape()).containsExactly(1, 32, 32);
        assertThat(histogram(test)).containsExactly(13, 12, 9, 6, 10, 7, 9, 11, 10, 13);
        INDArray x = test.examples(0, 100);
        assertThat(x.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(x.shape()).containsExactly(100, 1, 32, 32);
        assertThat(x.minNumber().doubleValue()).isEqualTo(-1.0);
        assertThat(x.maxNumber().doubleValue()).isEqualTo(1.0);
        // the two-pixel border is black, i.e. -1 when centered
        for (int i : new int[] {0, 43, 99}) {
            for (int k = 0; k < 32; k++) {
                for (int b : new int[] {0, 1, 30, 31}) {
                    assertThat(x.getDouble(i, 0, b, k)).isEqualTo(-1.0);
                    assertThat(x.getDouble(i, 0, k, b)).isEqualTo(-1.0);
                }
            }
        }
        // the interior is the unpadded image, centred
        ImageData raw = open(new FashionPlugin(), root, DataType.DOUBLE, "test", "limit", 10);
        for (int y = 0; y < 28; y += 3) {
            for (int xx = 0; xx < 28; xx += 5) {
                assertThat(x.getDouble(7, 0, y + 2, xx + 2)).isCloseTo(2 * raw.pixel(7, 0, y, xx) / 255.0 - 1, offset(1e-6));
            }
        }
        // mean over the 28x28 part: 2 * 0.287506 - 1, diluted by the -1 border
        double mean = x.meanNumber().doubleValue();
        double inner = (mean * 1024 + 240) / 784; // border: 1024 - 784 = 240 values of -1
        assertThat((inner + 1) / 2).isCloseTo(0.287506, offset(1e-5));
    }

    @Test
    void mnistSubsetTrainAndTestThroughEveryName() {
        Path root = TestData.require("mnist10k-train-images-idx3-ubyte.gz");
        ImageData train = open(new MnistPlugin(), root, DataType.DOUBLE, "train");
        ImageData test = open(new MnistPlugin(), root, DataType.DOUBLE, "test");
        assertThat(train.size()).hasValue(400);
        assertThat(test.size()).hasValue(100);
        assertThat(histogram(train)).containsExactly(45, 38, 42, 39, 36, 28, 42, 50, 39, 41);
        assertThat(histogram(test)).containsExactly(13, 6, 5, 11, 9, 15, 12, 8, 11, 10);
        assertThat(stats(train)[0]).isCloseTo(0.132542, offset(1e-6));
        assertThat(stats(test)[0]).isCloseTo(0.136618, offset(1e-6));
        // the same files through the generic loader
        ImageData idx = open(new IdxPlugin(), root, DataType.DOUBLE, "test", "prefix", "mnist10k", "limit", 5);
        assertThat(idx.labels(0, 5).orElseThrow()).containsExactly(3, 3, 3, 5, 3);
        assertThat(idx.examples(0, 5)).isEqualTo(test.examples(0, 5));
    }

    @Test
    void mnistReadsFullMnistWhenItIsThereElseTheSubset(@TempDir Path dir) throws IOException {
        Path fixtures = TestData.require("mnist10k-test-images-idx3-ubyte.gz");
        for (String kind : List.of("images-idx3", "labels-idx1")) {
            // the subset's 400 training digits as mnist10k, its 100 test digits standing in for full MNIST's training set
            Files.createSymbolicLink(dir.resolve("mnist10k-train-" + kind + "-ubyte.gz"), fixtures.resolve("mnist10k-train-" + kind + "-ubyte.gz"));
            Files.createSymbolicLink(dir.resolve("mnist-train-" + kind + "-ubyte.gz"), fixtures.resolve("mnist10k-test-" + kind + "-ubyte.gz"));
        }
        assertThat(open(new MnistPlugin(), dir, DataType.FLOAT, "train").size()).hasValue(100);
        assertThat(open(new MnistPlugin(), dir, DataType.FLOAT, "train", "prefix", "mnist10k").size()).hasValue(400);
        for (String kind : List.of("images-idx3", "labels-idx1")) Files.delete(dir.resolve("mnist-train-" + kind + "-ubyte.gz"));
        assertThat(open(new MnistPlugin(), dir, DataType.FLOAT, "train").size()).hasValue(400);
        // neither: the message names full MNIST's files and how to get them
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> open(new MnistPlugin(), empty, DataType.FLOAT, "test"))
                .isInstanceOf(MissingDataException.class)
                .hasMessageStartingWith("data 'mnist': no file " + empty.resolve("mnist-test-images-idx3-ubyte") + "(.gz)")
                .hasMessageContaining("get it with: sdex data get mnist");
    }
}
