package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.run.Npy;
import org.sdex.plugins.data.image.FashionPlugin;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.testing.TestData;

/** {@code sdex classifier train|eval} and {@code sdex eval --features} on the Fashion-MNIST fixture. */
class ClassifierCommandTest {
    private static final Pattern ACCURACY = Pattern.compile("accuracy (0\\.\\d{4})");

    private static String accuracy(String out) {
        Matcher m = ACCURACY.matcher(out);
        String last = null;
        while (m.find()) last = m.group(1);
        assertThat(last).as(out).isNotNull();
        return last;
    }

    @Test
    void trainsEvaluatesAndGivesFeaturesForFidOnTheFixture(@TempDir Path dir) {
        String data = TestData.require("fashion-train-images-idx3-ubyte.gz").toString();
        String clf = dir.resolve("clf").toString();
        String a = dir.resolve("a.npy").toString();
        String b = dir.resolve("b.npy").toString();
        Sdex.Result train = Sdex.run(dir, "classifier", "train", "--dataset", "fashion", "--steps", "30", "--batch", "32",
                "--channels", "8,16,16", "--features", "16", "--out", clf, "--data", data);
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("training a clean classifier on fashion (400 training, 100 test images)")
                .contains("test accuracy").contains("after 30 steps");
        Sdex.Result eval = Sdex.run(dir, "classifier", "eval", clf, "--data", data);
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("on 100 images");
        assertThat(accuracy(eval.out())).isEqualTo(accuracy(train.out()));

        // the same images on both sides: FID 0 through the classifier's features
        var images = new FashionPlugin().open(Params.of(new FashionPlugin(), Map.of()),
                new DataContext(Path.of(data), DataType.FLOAT, "test")).examples(0, 40);
        Npy.write(images, Path.of(a));
        Npy.write(images.get(NDArrayIndex.interval(0, 20)).dup(), Path.of(b));
        Sdex.Result fid = Sdex.run(dir, "eval", a, a, "--features", clf, "--kid-subset-size", "10", "--kid-subsets", "5");
        assertThat(fid.code()).as(fid.err()).isZero();
        assertThat(fid.out()).contains("| samples vs reference | 40 | 0.000 |").contains("comparable between sdex runs only");
        Sdex.Result apart = Sdex.run(dir, "eval", b, a, "--features", clf, "--kid-subset-size", "10", "--kid-subsets", "5");
        assertThat(apart.code()).as(apart.err()).isZero();
        assertThat(apart.out()).contains("| samples vs reference | 20 |").doesNotContain("| samples vs reference | 20 | 0.000 |");
    }

    @Test
    void theCommittedClassifiersClassifyTheFixtures(@TempDir Path dir) {
        // measured on the fixtures' 100 test images (not trained on): 0.83 and 0.94; full test splits 0.8283 and 0.9660
        Map<String, Double> bound = Map.of("fashion", 0.75, "mnist10k", 0.88);
        for (String name : bound.keySet()) {
            String data = TestData.require(name + "-test-images-idx3-ubyte.gz").toString();
            Path ckpt = Path.of("../../experiments/classifiers/" + name + ".sdex").toAbsolutePath().normalize();
            Sdex.Result eval = Sdex.run(dir, "classifier", "eval", ckpt.toString(), "--data", data);
            assertThat(eval.code()).as(eval.err()).isZero();
            assertThat(eval.out()).contains("clean").contains("on 100 images");
            assertThat(Double.parseDouble(accuracy(eval.out()))).as(name).isGreaterThan(bound.get(name));
        }
    }

    @Test
    void badInputIsOneLineNamingTheProblem(@TempDir Path dir) {
        String data = TestData.require("fashion-train-images-idx3-ubyte.gz").toString();
        Sdex.Result points = Sdex.run(dir, "classifier", "train", "--dataset", "moons", "--data", data);
        assertThat(points.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(points.err().strip()).isEqualTo("error: moons train: a classifier needs images [C, H, W], the data set gives examples of shape [2]");

        Sdex.Result sde = Sdex.run(dir, "classifier", "train", "--dataset", "fashion", "--noise-conditional", "vq", "--data", data);
        assertThat(sde.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(sde.err().strip()).startsWith("error: No sde 'vq'. Available:").doesNotContain("\n");

        Sdex.Result noData = Sdex.run(dir, "classifier", "train");
        assertThat(noData.code()).isEqualTo(ExitCode.USAGE);
        assertThat(noData.err()).contains("train needs --dataset NAME");

        Sdex.Result channels = Sdex.run(dir, "classifier", "train", "--dataset", "fashion", "--channels", "32,x");
        assertThat(channels.code()).isEqualTo(ExitCode.USAGE);
        assertThat(channels.err()).contains("--channels takes integers >= 1 separated by commas");

        Sdex.Result missing = Sdex.run(dir, "classifier", "eval", dir.resolve("nowhere.sdex").toString());
        assertThat(missing.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(missing.err().strip()).isEqualTo("error: no classifier checkpoint '" + dir.resolve("nowhere.sdex") + "' (neither a file nor a folder)");
        assertThat(missing.err()).doesNotContain("at org.");
    }
}
