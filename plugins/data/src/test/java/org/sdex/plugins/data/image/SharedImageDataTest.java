package org.sdex.plugins.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.random.Rng;
import org.sdex.testing.SharedData;

/** Fashion-MNIST and the MNIST subset of this machine (../shared/data, -Dsdex.data); skipped where absent. */
class SharedImageDataTest {
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
    void fashionTrainLoadsFastIntoBytesWithTheKnownStatistics() {
        Path root = SharedData.require("fashion-train-images-idx3-ubyte.gz");
        long t0 = System.nanoTime();
        ImageData train = open(new FashionPlugin(), root, DataType.DOUBLE, "train");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fashion train: 60,000 images loaded in %.3f s%n", seconds);
        assertThat(seconds).isLessThan(2.0);
        assertThat(train.shape()).containsExactly(1, 28, 28);
        assertThat(train.size()).hasValue(60_000);
        assertThat(train.storedBytes()).isEqualTo(60_000L * 784);

        int[] h = histogram(train);
        assertThat(java.util.Arrays.stream(h).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(5_900, 6_100));
        assertThat(java.util.Arrays.stream(h).sum()).isEqualTo(60_000);

        long t1 = System.nanoTime();
        double[] s = stats(train);
        System.out.printf("fashion train: mean %.5f, min %.3f, max %.3f (all 60,000 as doubles in %.2f s)%n", s[0], s[1], s[2],
                (System.nanoTime() - t1) / 1e9);
        assertThat(s[0]).isCloseTo(0.2863, offset(0.002));
        assertThat(s[1]).isEqualTo(0.0);
        assertThat(s[2]).isEqualTo(1.0);

        INDArray batch = train.sample(256, new Rng(1));
        ImageData single = open(new FashionPlugin(), root, DataType.FLOAT, "train", "limit", 1000, "pad", 2, "randomFlip", true);
        long t2 = System.nanoTime();
        for (int i = 0; i < 100; i++) single.sample(128, new Rng(i));
        System.out.printf("fashion: sample(128) float32 padded to 32x32: %.2f ms per batch%n", (System.nanoTime() - t2) / 1e6 / 100);
        assertThat(batch.shape()).containsExactly(256, 1, 28, 28);
        assertThat(train.sample(256, new Rng(1))).isEqualTo(batch);
    }

    @Test
    void fashionTestCenteredAndPadded() {
        Path root = SharedData.require("fashion-test-images-idx3-ubyte.gz");
        ImageData test = open(new FashionPlugin(), root, DataType.FLOAT, "test", "centered", true, "pad", 2);
        assertThat(test.size()).hasValue(10_000);
        assertThat(test.shape()).containsExactly(1, 32, 32);
        assertThat(java.util.Arrays.stream(histogram(test)).sum()).isEqualTo(10_000);
        INDArray x = test.examples(0, 10_000);
        assertThat(x.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(x.shape()).containsExactly(10_000, 1, 32, 32);
        assertThat(x.minNumber().doubleValue()).isEqualTo(-1.0);
        assertThat(x.maxNumber().doubleValue()).isEqualTo(1.0);
        // the two-pixel border is black, i.e. -1 when centered
        for (int i : new int[] {0, 4_321, 9_999}) {
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
        // mean over the 28x28 part: 2 * 0.2860 - 1, diluted by the -1 border
        double mean = x.meanNumber().doubleValue();
        double inner = (mean * 1024 + 240) / 784; // border: 1024 - 784 = 240 values of -1
        assertThat((inner + 1) / 2).isCloseTo(0.2860, offset(0.002));
    }

    @Test
    void mnistSubsetTrainAndTestThroughEveryName() {
        Path root = SharedData.require("mnist10k-train-images-idx3-ubyte.gz");
        long t0 = System.nanoTime();
        ImageData train = open(new MnistPlugin(), root, DataType.DOUBLE, "train");
        System.out.printf("mnist10k train: 9,000 images loaded in %.3f s%n", (System.nanoTime() - t0) / 1e9);
        ImageData test = open(new MnistPlugin(), root, DataType.DOUBLE, "test");
        assertThat(train.size()).hasValue(9_000);
        assertThat(test.size()).hasValue(1_000);
        assertThat(java.util.Arrays.stream(histogram(train)).sum()).isEqualTo(9_000);
        assertThat(java.util.Arrays.stream(histogram(test)).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(60, 140));
        double[] s = stats(train);
        System.out.printf("mnist10k train: mean %.5f; test mean %.5f%n", s[0], stats(test)[0]);
        assertThat(s[0]).isCloseTo(0.1310, offset(0.002));
        // the same files through the generic loader
        ImageData idx = open(new IdxPlugin(), root, DataType.DOUBLE, "test", "prefix", "mnist10k", "limit", 5);
        assertThat(idx.labels(0, 5).orElseThrow()).containsExactly(test.labels(0, 5).orElseThrow());
        assertThat(idx.examples(0, 5)).isEqualTo(test.examples(0, 5));
        // full MNIST is not on this machine: the message says where it looked
        assertThatThrownBy(() -> open(new MnistPlugin(), root, DataType.FLOAT, "train", "prefix", "mnist"))
                .hasMessage("data 'mnist': no file " + root.resolve("mnist-train-images-idx3-ubyte")
                        + "(.gz) (IDX images of split 'train' for prefix 'mnist'; data root from --data or SDEX_DATA)");
    }
}
