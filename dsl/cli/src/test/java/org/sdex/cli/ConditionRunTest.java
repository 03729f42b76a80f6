package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.run.MetricsLog;
import org.sdex.core.run.Npy;
import org.sdex.spi.random.Rng;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.MixturePosterior;
import org.sdex.testing.TestData;
import org.sdex.toolkit.oracle.SlicedWasserstein;

/**
 * Guided runs through {@code sdex run} on a 2-D Gaussian mixture with the exact score, where the
 * posterior is known in closed form (MixturePosterior): the condition block's samples match exact
 * posterior draws, and the same samples are far from the posterior of another observation (the
 * negative control). Classifier guidance with the mixture's exact noisy classifier samples the
 * chosen component. On images (small untrained networks): inpainting of the Fashion-MNIST fixture,
 * and colorization of RGB images the test writes as an image_folder.
 */
class ConditionRunTest {
    @TempDir Path dir;

    private static final double[] WEIGHTS = {0.3, 0.7};
    private static final double[][] MEANS = {{-2, 0}, {2, 1}};
    private static final double STD = 0.5;
    private static final int N = 400;

    private static final String PRIOR = """
                seed 3
                data 'gmm', weights: [0.3, 0.7], means: [[-2, 0], [2, 1]], std: [0.5]
                sde 'vp'
                model 'exact'
            """;

    private Path script(String name, String body) throws IOException {
        return Files.writeString(dir.resolve(name + ".groovy"), "experiment('" + name + "') {\n" + PRIOR + body + "}\n");
    }

    private static GaussianMixture prior() {
        double[][][] cov = new double[2][2][2];
        for (double[][] c : cov) { c[0][0] = STD * STD; c[1][1] = STD * STD; }
        return new GaussianMixture(WEIGHTS, MEANS, cov);
    }

    private Path run(Path script, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "run";
        args[1] = script.toString();
        args[2] = "--out";
        args[3] = dir.resolve("runs").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        Sdex.Result r = Sdex.run(dir, Map.of(), args);
        assertThat(r.code()).as(r.err()).isZero();
        try (var runs = Files.list(dir.resolve("runs"))) {
            return runs.filter(p -> p.getFileName().toString().startsWith(script.getFileName().toString().replace(".groovy", "")))
                    .max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode event(Path run, String name) {
        return MetricsLog.read(run.resolve("metrics.jsonl")).stream().filter(e -> e.path("event").asText().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void pigdmDenoisingMatchesTheExactPosteriorAndNotAnotherObservations() throws IOException {
        // one observation y = x + 0.8 z, repeated, given on the command line: every sample is a draw of p(x | y)
        double[] y = {0.2, 0.4};
        double noise = 0.8;
        INDArray ys = Nd4j.create(DataType.FLOAT, N, 2);
        for (int i = 0; i < N; i++) { ys.putScalar(i, 0, y[0]); ys.putScalar(i, 1, y[1]); }
        Npy.write(ys, dir.resolve("y.npy"));
        Path run = run(script("pigdm_denoise", """
                    sample { predictor 'euler_maruyama'; steps 200; plot false; batchSize 150 }
                    condition {
                        guide 'pigdm', dataVariance: 4.0, weighting: 'exact'
                        operator 'denoise'
                        noise 0.8
                    }
                """), "--observations", dir.resolve("y.npy").toString());
        INDArray x = Npy.read(run.resolve("reconstructions.npy")).castTo(DataType.DOUBLE);
        assertThat(x.size(0)).isEqualTo(N);
        double[][] identity = {{1, 0}, {0, 1}};
        MixturePosterior posterior = new MixturePosterior(prior(), identity, y, noise);
        MixturePosterior other = new MixturePosterior(prior(), identity, new double[] {-1.5, -0.5}, noise);
        double floor = SlicedWasserstein.distance(posterior.sample(N, new Rng(1), null), posterior.sample(N, new Rng(2), null), 64, 11);
        double guided = SlicedWasserstein.distance(x, posterior.sample(N, new Rng(3), null), 64, 11);
        double wrong = SlicedWasserstein.distance(x, other.sample(N, new Rng(3), null), 64, 11);
        System.out.printf("pigdm denoise: floor %.4f guided %.4f (%.2fx) wrong observation %.4f (%.2fx)%n",
                floor, guided, guided / floor, wrong, wrong / floor);
        assertThat(guided).isLessThan(6 * floor); // measured 4.1x (pigdm is approximate: Gaussian x0 given x_t)
        assertThat(wrong).isGreaterThan(12 * floor); // measured 20x
        JsonNode inverse = event(run, "inverse");
        assertThat(inverse.path("noiseResidual").asDouble()).isCloseTo(noise * Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(inverse.has("residual")).isTrue();
        assertThat(run.resolve("observations.npy")).isRegularFile();
        assertThat(Files.readString(run.resolve("inverse.csv"))).startsWith("index,residual,baselineResidual\n");
        assertThat(event(run, "sample").path("nfe").asLong()).isEqualTo(400); // a VJP per step counts
    }

    @Test
    void pigdmTakesAtMostOnePaperStepPerSamplerStep() throws IOException {
        // 20 steps: any rate above 20 per unit time is one paper step per step (Alg. 1), the same samples bit for bit;
        // 200 steps (the negative control): rates 100 and 1000 are 0.5 and 1 paper step per step, other samples
        INDArray[] x = new INDArray[4];
        int k = 0;
        for (int steps : new int[] {20, 200}) {
            for (int rate : new int[] {100, 1000}) {
                Path run = run(script("pigdm_rate_" + steps + "_" + rate, """
                            sample { predictor 'euler_maruyama'; steps STEPS; plot false }
                            condition {
                                guide 'pigdm', dataVariance: 4.0, rate: RATE
                                operator 'denoise'
                                noise 0.8; n 50
                            }
                        """.replace("STEPS", Integer.toString(steps)).replace("RATE", Integer.toString(rate))));
                x[k++] = Npy.read(run.resolve("reconstructions.npy"));
            }
        }
        assertThat(x[0].equalsWithEps(x[1], 0)).isTrue();
        assertThat(x[2].equalsWithEps(x[3], 1e-3)).isFalse();
    }

    @Test
    void classifierGuidanceWithTheExactClassifierSamplesTheChosenComponent() throws IOException {
        Path run = run(script("classifier_exact", """
                    sample { steps 100; plot false }
                    condition {
                        guide 'classifier'
                        classifier 'exact'
                        labels 0
                        n 200
                    }
                """));
        JsonNode classes = event(run, "classes");
        assertThat(classes.path("judge").asText()).isEqualTo("most likely mixture component");
        assertThat(classes.path("accuracy").asDouble()).isGreaterThan(0.99);
        // the negative control: without the guide, component 0 holds about its weight 0.3
        Path unguided = run(script("classifier_none", """
                    sample { steps 100; plot false; n 200 }
                """));
        INDArray s = Npy.read(unguided.resolve("samples.npy")).castTo(DataType.DOUBLE);
        double[][] r = prior().responsibilities(s);
        int zero = 0;
        for (double[] row : r) if (row[0] > row[1]) zero++;
        assertThat(zero / 200.0).isBetween(0.2, 0.4);
    }

    @Test
    void replaceInpaintingOnFixtureImagesKeepsTheKnownPixels() throws IOException {
        Path script = Files.writeString(dir.resolve("replace_fashion.groovy"), """
                experiment('replace_fashion') {
                    seed 1
                    data 'fashion', centered: true
                    sde 'vp'
                    model 'ddpmpp', nf: 8, chMult: [1], numResBlocks: 1, attnResolutions: []
                    train { steps 1; batchSize 2; checkpointEvery 1; logEvery 1 }
                    sample { steps 4; batchSize 2 }
                    condition {
                        guide 'replace'
                        operator 'inpaint', mask: 'box'
                        n 3
                    }
                }
                """);
        Path run = run(script, "--data", TestData.require("fashion-test-images-idx3-ubyte.gz").toString());
        assertThat(Npy.read(run.resolve("reconstructions.npy")).shape()).containsExactly(3, 1, 28, 28);
        assertThat(run.resolve("strip.png")).isRegularFile();
        String csv = Files.readString(run.resolve("inverse.csv"));
        assertThat(csv).startsWith("index,psnr,ssim,baselinePsnr,baselineSsim,residual,baselineResidual\n");
        JsonNode inverse = event(run, "inverse");
        // sigma_y = 0: the known pixels are the observation's, exactly as the baseline's are
        assertThat(inverse.path("residual").asDouble()).isLessThan(1e-4);
        assertThat(inverse.path("baselineResidual").asDouble()).isLessThan(1e-4);
        assertThat(inverse.path("psnr").asDouble()).isFinite();
        assertThat(inverse.path("ssimSe").asDouble()).isGreaterThanOrEqualTo(0);
    }

    /** Pixel (x, y) of RGB image k: 0xRRGGBB, every channel different (no gray pixel). */
    private static int rgb(int k, int x, int y) {
        int r = (40 + 25 * x + 60 * k) % 256, g = (200 - 20 * y + 35 * k) % 256, b = (30 * k + 11 * x * y + 7) % 256;
        return (r << 16) | (g << 8) | b;
    }

    /** Channel c (0 red, 1 green, 2 blue) of 0xRRGGBB. */
    private static int channel(int rgb, int c) { return (rgb >> (16 - 8 * c)) & 0xFF; }

    @Test
    void colorizationOfAnRgbImageFolderPutsBackTheGrayOfTheTestImages() throws IOException {
        // an image_folder of 16x16 RGB PNGs: images 0-3 in train/, 4-7 in test/
        int side = 16, n = 4;
        for (int k = 0; k < 2 * n; k++) {
            BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) img.setRGB(x, y, rgb(k, x, y));
            Path file = dir.resolve("data/rgb/" + (k < n ? "train" : "test") + "/img" + k + ".png");
            Files.createDirectories(file.getParent());
            assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
        }
        String script = """
                experiment('colorize_rgb') {
                    seed 1
                    data 'image_folder', dir: 'rgb', size: 16, centered: true
                    sde 'vp'
                    model 'ddpmpp', nf: 8, chMult: [1], numResBlocks: 1, attnResolutions: []
                    train { steps 1; batchSize 2; checkpointEvery 1; logEvery 1 }
                    sample { steps 4; batchSize 2 }
                    condition { guide 'replace'; operator 'colorize'; split 'test'; n 4 }
                }
                """;
        Path run = run(Files.writeString(dir.resolve("colorize_rgb.groovy"), script), "--data", dir.resolve("data").toString());

        // the observations: the gray of the test images, the mean of R, G and B (the gray of score_sde's decoupling
        // basis), centred to [-1, 1]; and the A⁺y baseline's PSNR, that gray on every channel against the colours
        INDArray y = Npy.read(run.resolve("observations.npy"));
        assertThat(y.shape()).containsExactly(n, 1, side, side);
        List<String> csv = Files.readAllLines(run.resolve("inverse.csv"));
        assertThat(csv.get(0)).isEqualTo("index,psnr,ssim,baselinePsnr,baselineSsim,residual,baselineResidual");
        assertThat(csv).hasSize(n + 1);
        double lumaGap = 0, meanBaselinePsnr = 0;
        for (int i = 0; i < n; i++) {
            double se = 0;
            for (int py = 0; py < side; py++) {
                for (int px = 0; px < side; px++) {
                    int p = rgb(n + i, px, py);
                    double mean = (channel(p, 0) + channel(p, 1) + channel(p, 2)) / 3.0;
                    assertThat(y.getDouble(i, 0, py, px)).isCloseTo(2 * mean / 255 - 1, offset(1e-5));
                    double luma = 0.299 * channel(p, 0) + 0.587 * channel(p, 1) + 0.114 * channel(p, 2);
                    lumaGap = Math.max(lumaGap, Math.abs(2 * luma / 255 - 1 - y.getDouble(i, 0, py, px)));
                    for (int c = 0; c < 3; c++) se += Math.pow((mean - channel(p, c)) / 255, 2);
                }
            }
            double psnr = 10 * Math.log10(3.0 * side * side / se);
            assertThat(Double.parseDouble(csv.get(i + 1).split(",")[3])).as("baseline PSNR of image %d", i).isCloseTo(psnr, offset(1e-3));
            meanBaselinePsnr += psnr / n;
        }
        assertThat(lumaGap).as("the gray is not the loader's luma").isGreaterThan(0.05);
        JsonNode inverse = event(run, "inverse");
        assertThat(inverse.path("baselinePsnr").asDouble()).isCloseTo(meanBaselinePsnr, offset(1e-6));
        assertThat(inverse.path("psnr").asDouble()).isFinite();
        assertThat(inverse.path("ssim").asDouble()).isBetween(-1.0, 1.0);

        // the reconstructions are RGB and their gray is the observation: with sigma_y = 0 replace puts back the gray
        // coordinate itself (measured 2e-6, float rounding), and the residual ||y - A(x)|| is ~0 (measured 4e-6)
        INDArray x = Npy.read(run.resolve("reconstructions.npy"));
        assertThat(x.shape()).containsExactly(n, 3, side, side);
        INDArray gray = x.sum(1).divi(3).reshape(n, 1, side, side);
        assertThat(gray.sub(y).amaxNumber().doubleValue()).isLessThan(1e-4);
        assertThat(inverse.path("residual").asDouble()).isLessThan(1e-4);
        // the colours are the model's, not copies of the gray
        assertThat(x.sub(gray.repeat(1, 3)).norm2Number().doubleValue()).isGreaterThan(0.1);

        // strip.png: a row per image (A⁺y, reconstruction, truth) of 16x16 tiles 2 pixels apart, in RGB order
        BufferedImage strip = ImageIO.read(run.resolve("strip.png").toFile());
        assertThat(strip.getWidth()).isEqualTo(3 * (side + 2) + 2);
        assertThat(strip.getHeight()).isEqualTo(n * (side + 2) + 2);
        for (int i = 0; i < n; i++) {
            for (int py = 0; py < side; py++) {
                for (int px = 0; px < side; px++) {
                    int p = rgb(n + i, px, py), top = 2 + i * (side + 2) + py;
                    assertThat(strip.getRGB(2 + 2 * (side + 2) + px, top) & 0xFFFFFF).as("truth of image %d", i).isEqualTo(p);
                    int baseline = strip.getRGB(2 + px, top);
                    double mean = (channel(p, 0) + channel(p, 1) + channel(p, 2)) / 3.0;
                    for (int c = 0; c < 3; c++) assertThat((double) channel(baseline, c)).isCloseTo(mean, offset(1.0));
                }
            }
        }

        // the negative controls: another test image's gray is far from each reconstruction's; pigdm, which only pulls
        // toward y, leaves a residual (measured 0.33), here on 8x8 images, smaller than SSIM's 11x11 window: PSNR only
        INDArray otherY = Nd4j.concat(0, y.get(NDArrayIndex.interval(1, n)), y.get(NDArrayIndex.interval(0, 1)));
        assertThat(gray.sub(otherY).amaxNumber().doubleValue()).isGreaterThan(0.1);
        Path pigdm = run(Files.writeString(dir.resolve("colorize_rgb_pigdm.groovy"), script.replace("colorize_rgb", "colorize_rgb_pigdm")
                .replace("guide 'replace'", "guide 'pigdm'").replace("size: 16", "size: 8")), "--data", dir.resolve("data").toString());
        assertThat(event(pigdm, "inverse").path("residual").asDouble()).isGreaterThan(0.1);
        assertThat(Files.readAllLines(pigdm.resolve("inverse.csv")).get(0)).isEqualTo("index,psnr,baselinePsnr,residual,baselineResidual");
    }

    @Test
    void pigdmInpaintingWithAnImperfectNetworkStaysFinite() throws IOException {
        // sub-VP, alpha(1) = 0.0066: a network's x0_hat and Jacobian errors are amplified by 1/alpha each; with the
        // unweighted posterior score (weighting 'exact') the first step moved x by ~190 |x| and the run was NaN by
        // t = 0.7. The paper's r_t^2-weighted step (weighting 'paper') keeps it finite with the same untrained U-Net.
        Path script = Files.writeString(dir.resolve("pigdm_fashion.groovy"), """
                experiment('pigdm_fashion') {
                    seed 7
                    data 'fashion', centered: true
                    sde 'subvp', betaMin: 0.1, betaMax: 20
                    model 'ddpmpp', nf: 8, chMult: [1], numResBlocks: 1, attnResolutions: []
                    train { steps 1; batchSize 2; checkpointEvery 1; logEvery 1 }
                    sample { predictor 'euler_maruyama'; steps 100; eps 1e-3; batchSize 2; plot false }
                    condition {
                        guide 'pigdm', weighting: WEIGHTING
                        operator 'inpaint', mask: 'box'
                        n 2; noise 0.05
                    }
                }
                """.replace("WEIGHTING", "'" + System.getProperty("pigdm.weighting", "paper") + "'"));
        Path run = run(script, "--data", TestData.require("fashion-test-images-idx3-ubyte.gz").toString());
        INDArray x = Npy.read(run.resolve("reconstructions.npy"));
        assertThat(x.isNaN().any() || x.isInfinite().any()).as("non-finite reconstruction").isFalse();
        JsonNode inverse = event(run, "inverse");
        assertThat(inverse.path("psnr").asDouble()).isFinite();
        assertThat(inverse.path("residual").asDouble()).isFinite();
    }
}
