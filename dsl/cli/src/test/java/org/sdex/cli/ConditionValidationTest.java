package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.run.Npy;
import org.sdex.testing.TestData;

/**
 * Every mistake in a condition block is one line at the script line that made it, before any
 * compute (sdex run --dry-run stops after validation; no run directory is made), exit code 2.
 */
class ConditionValidationTest {
    @TempDir Path dir;

    private static final String GMM = """
            experiment('%s') {
                data 'gmm'
                sde 'vp'
                model 'exact'
                sample { steps 10; plot false }
                condition {
            %s
                }
            }
            """;

    /** Runs {@code --dry-run} on the script and checks the one line names the line holding {@code marker}. */
    private String refused(String name, String script, String marker, String... extra) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".groovy"), script);
        int line = 1 + (int) script.substring(0, script.indexOf(marker)).chars().filter(c -> c == '\n').count();
        String[] args = new String[extra.length + 5];
        System.arraycopy(new String[] {"run", file.toString(), "--dry-run", "--out", dir.resolve("runs").toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        Sdex.Result r = Sdex.run(dir, Map.of(), args);
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err).doesNotContain("\n").doesNotContain("Exception").startsWith("error: " + name + ".groovy:" + line + ": ");
        assertThat(dir.resolve("runs")).doesNotExist();
        return err;
    }

    private String gmm(String name, String condition, String marker) throws IOException {
        return refused(name, GMM.formatted(name, condition), marker);
    }

    @Test
    void unknownGuideAndOperatorListTheAvailableOnes() throws IOException {
        assertThat(gmm("a", "guide 'dsp'", "guide 'dsp'")).contains("No guide 'dsp'. Available: ").contains("dps", "pigdm", "replace");
        assertThat(gmm("b", "guide 'dps'\n        operator 'inpant'", "operator 'inpant'"))
                .contains("No operator 'inpant'. Available: ").contains("inpaint", "superres", "blur");
    }

    @Test
    void aTestSplitWithOtherClassFoldersThanTrainIsRefusedAtTheLineThatReadsIt() throws IOException {
        for (String f : new String[] {"train/cat/a.png", "train/dog/a.png", "test/cat/a.png", "test/fish/a.png"}) {
            Path file = dir.resolve("pets").resolve(f);
            Files.createDirectories(file.getParent());
            assertThat(javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB),
                    "png", file.toFile())).isTrue();
        }
        String script = """
                experiment('pets') {
                    data 'image_folder', dir: 'pets', size: 16
                    sde 'vp'
                    model 'ddpmpp', nf: 8, chMult: [1], numResBlocks: 1, attnResolutions: []
                    train { steps 1 }
                    sample { steps 4 }
                    condition {
                        guide 'replace'; operator 'colorize'
                        split 'test'; n 1
                    }
                }
                """;
        assertThat(refused("pets", script, "split 'test'", "--data", dir.toString())).endsWith("data 'image_folder': " + dir.resolve("pets/test")
                + " has the class folders [cat, fish], " + dir.resolve("pets/train") + " has the class folders [cat, dog];"
                + " labels follow the sorted folder names, so every split needs train's class folders");
    }

    @Test
    void guidanceScaleOutOfRange() throws IOException {
        assertThat(gmm("c", "guide 'dps', scale: -1\n        operator 'denoise'", "guide 'dps'")).contains("scale").contains("-1");
    }

    @Test
    void observationsOfTheWrongShape() throws IOException {
        Path y = dir.resolve("y.npy");
        Npy.write(Nd4j.zeros(DataType.FLOAT, 5, 3), y);
        assertThat(gmm("d", "guide 'dps'\n        operator 'denoise'\n        observations '" + y + "'", "guide 'dps'"))
                .contains("observations of shape [n, 2] expected, got [5, 3]");
    }

    @Test
    void aMaskOfTheWrongSize() throws IOException {
        Path mask = dir.resolve("mask.npy");
        Npy.write(Nd4j.ones(DataType.FLOAT, 3), mask);
        assertThat(gmm("e", "guide 'pigdm'\n        operator 'inpaint', mask: 'file', file: '" + mask + "'", "operator 'inpaint'"))
                .contains("mask");
    }

    @Test
    void anSvdMethodWithANonLinearOperator() throws IOException {
        assertThat(gmm("f", "guide 'pigdm'\n        operator 'magnitude'", "operator 'magnitude'"))
                .contains("guide 'pigdm' works in the singular-value basis of a linear operator; operator 'magnitude' is not linear");
    }

    @Test
    void aProjectingGuideOnTheProbabilityFlowOde() throws IOException {
        String script = GMM.formatted("g", "guide 'replace'\n        operator 'inpaint', mask: 'half'").replace("sample { steps 10; plot false }", "sample { ode 'rk45'; plot false }");
        assertThat(refused("g", script, "guide 'replace'")).contains("guide 'replace' puts back the known part after each step, which ode 'rk45' has no steps for");
    }

    @Test
    void aGuideWithoutWhatItNeeds() throws IOException {
        assertThat(gmm("h", "guide 'dps'", "guide 'dps'")).contains("guide 'dps' needs a measurement operator");
        assertThat(gmm("i", "guide 'classifier'\n        classifier 'exact'", "guide 'classifier'")).contains("needs the classes to sample; add labels");
        assertThat(gmm("j", "guide 'classifier'\n        labels 0", "guide 'classifier'")).contains("needs a noise-conditional classifier");
        assertThat(gmm("k", "guide 'classifier'\n        classifier 'exact'\n        labels 9", "guide 'classifier'"))
                .contains("labels must be in [0, 8), got 9");
    }

    @Test
    void labelsOnAnUnlabelledDataSet() throws IOException {
        String script = GMM.formatted("l", "guide 'classifier'\n        classifier 'exact'\n        labels 0").replace("data 'gmm'", "data 'checkerboard'")
                .replace("model 'exact'", "model 'mlp'\n    train { steps 1 }");
        assertThat(refused("l", script, "labels 0")).contains("guide 'classifier' samples classes, and the data set has none");
    }

    @Test
    void aClassifierCheckpointThatDoesNotFit() throws IOException {
        Path clean = Path.of("../../experiments/classifiers/fashion.sdex").toAbsolutePath().normalize();
        assertThat(gmm("m", "guide 'classifier'\n        labels 0\n        classifier '" + clean + "'", "classifier '/"))
                .contains("takes examples of shape [1, 28, 28], the data has [2]");
        String fashion = """
                experiment('n') {
                    data 'fashion', centered: true
                    sde 'vp'
                    model 'ddpmpp', nf: 8, chMult: [1], numResBlocks: 1, attnResolutions: []
                    train { steps 1 }
                    sample { steps 10; plot false }
                    condition {
                        guide 'classifier'
                        labels 0..9
                        classifier '%s'
                    }
                }
                """.formatted(clean);
        assertThat(refused("n", fashion, "classifier '/", "--data", TestData.require("fashion-test-images-idx3-ubyte.gz").toString()))
                .contains("is a clean classifier; classifier guidance needs a noise-conditional one");
    }

    @Test
    void observationsOnTheCommandLineNeedAConditionBlock() throws IOException {
        String script = "experiment('p') {\n    data 'gmm'\n    sde 'vp'\n    model 'exact'\n    sample { steps 10 }\n}\n";
        assertThat(refused("p", script, "experiment('p')", "--observations", dir.resolve("y.npy").toString()))
                .contains("--observations needs a condition { ... } block");
    }

    @Test
    void aConditionWithoutASampleBlock() throws IOException {
        String script = GMM.formatted("o", "guide 'dps'\n        operator 'denoise'").replace("    sample { steps 10; plot false }\n", "");
        assertThat(refused("o", script, "condition {")).contains("condition steers the sample block; add sample { ... }");
    }
}
