package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir Path dir;

    /** Exit code and both streams of one sdex call. */
    private Sdex.Result sdex(String... args) { return Sdex.run(dir, Map.of(), args); }

    private String script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    private static final String GMM = """
            experiment('gmm_small') {
                seed 2
                data 'gmm'
                sde 've', sigmaMax: 20
                model 'exact'
                sample {
                    steps 20
                    n 200
                    plot false
                }
            }
            """;

    @Test
    void pluginsListsEverySdeWithItsParameters() {
        Sdex.Result r = sdex("plugins");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("(?m)^sde\\s+vp\\s+1\\.0\\s+built-in\\s")
                .containsPattern("(?m)^sde\\s+ve\\s").containsPattern("(?m)^sde\\s+subvp\\s")
                .containsPattern("(?m)^\\s+betaMax\\s+real\\s+20\\.0\\s+a number > 0");
    }

    @Test
    void helpAndVersion() {
        Sdex.Result help = sdex("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Commands:", "run FILE", "validate FILE", "plugins", "describe NAME");
        Sdex.Result runHelp = sdex("run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("usage: sdex run FILE", "--set", "--dry-run", "--resume", "--no-progress");
        Sdex.Result version = sdex("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("sdex 0.");
    }

    @Test
    void usageErrorsExit64WithOneLine() {
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"run"}, {"run", "--bogus", "x.groovy"}, {"describe", "a", "b"}}) {
            Sdex.Result r = sdex(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(r.err().strip()).as(String.join(" ", args)).doesNotContain("\n").startsWith("error: ").contains("--help");
        }
        assertThat(sdex("frobnicate").err()).contains("unknown command 'frobnicate'; commands: run, validate, plugins, describe");
    }

    @Test
    void malformedScriptGivesOneLineWithScriptAndLineAndNoStackTrace() throws IOException {
        String bad = script("typo.groovy", """
                experiment('typo') {
                    data 'gmm'
                    sde 've'
                    model 'exact'
                    sample {
                        stpes 10
                    }
                }
                """);
        Sdex.Result r = sdex("validate", bad);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: typo.groovy:6: unknown setting 'stpes' in sample. Accepted: steps, n,")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        String bad = script("typo.groovy", "experiment('typo') { stpes 3 }\n");
        Sdex.Result r = sdex("validate", bad, "--debug");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: typo.groovy:1: unknown setting 'stpes' in experiment.").contains("\tat ");
    }

    @Test
    void validateAppliesOverrides() throws IOException {
        String good = script("gmm_small.groovy", GMM);
        assertThat(sdex("validate", good, "--set", "sample.n=50").code()).isZero();
        Sdex.Result bad = sdex("validate", good, "--set", "sample.n=zero");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo(
                "error: --set sample.n=zero: sample setting 'n' must be an integer >= 1, got 'zero'");
    }

    @Test
    void missingScript() {
        Sdex.Result r = sdex("validate", "nowhere.groovy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: no such experiment script: nowhere.groovy");
    }

    @Test
    void describePluginOrBlock() {
        Sdex.Result vp = sdex("describe", "vp");
        assertThat(vp.code()).isZero();
        assertThat(vp.out()).startsWith("sde 'vp'").contains("betaMin", "betaMax", "Use: sde 'vp', betaMin: 0.1, betaMax: 20.0");
        Sdex.Result train = sdex("describe", "train");
        assertThat(train.code()).isZero();
        assertThat(train.out()).contains("block train", "batchSize", "gradClip");
        Sdex.Result none = sdex("describe", "none");
        assertThat(none.out()).contains("predictor 'none'", "corrector 'none'");
        Sdex.Result unknown = sdex("describe", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: No plugin 'nope'. Available: ").contains("vp", "checkerboard");
    }

    /** A tiny checkerboard experiment: its name, then its train and sample blocks. */
    private static final String TINY = """
            experiment('%s') {
                data 'checkerboard'
                sde 'vp'
                model 'mlp', hidden: [8]
                %s
            }
            """;

    @Test
    void dryRunComputesNothing() throws IOException {
        String good = script("gmm_small.groovy", GMM);
        Path out = dir.resolve("runs");
        Sdex.Result r = sdex("run", good, "--dry-run", "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"experiment\" : \"gmm_small\"", "dry run");
        assertThat(out).doesNotExist();
    }

    @Test
    void runWritesARunDirectory() throws IOException {
        String good = script("gmm_small.groovy", GMM);
        Path out = dir.resolve("runs");
        Sdex.Result r = sdex("run", good, "--out", out.toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> runs = Files.list(out)) {
            Path run = runs.findFirst().orElseThrow();
            assertThat(run.getFileName().toString()).startsWith("gmm_small-");
            assertThat(run.resolve("samples.npy")).exists();
            assertThat(r.out()).contains("run directory: " + run);
        }
    }

    @Test
    void aTrainingRunEndsWithAShortSummaryAndWritesEveryFileWithTheUmasksMode() throws IOException {
        String tiny = script("tiny_board.groovy", TINY.formatted("tiny_board",
                "train { steps 4; batchSize 16; logEvery 2; checkpointEvery 2 }\n    sample { steps 5; n 50 }"));
        Path out = dir.resolve("runs-board");
        Sdex.Result r = sdex("run", tiny, "--out", out.toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        Path run;
        try (Stream<Path> runs = Files.list(out)) {
            run = runs.findFirst().orElseThrow();
        }
        assertThat(r.out().strip().split("\n")).satisfiesExactly(
                l -> assertThat(l).matches("tiny_board: trained [0-9,]+ parameters for 4 steps in [0-9.]+ s; final loss [0-9.]+"),
                l -> assertThat(l).matches("sampled 50 with euler_maruyama/none in [0-9.]+ s \\(5 score evaluations each\\); [0-9.]+% on the data's support"),
                l -> assertThat(l).isEqualTo("outputs: samples.png, samples.npy, loss.png, metrics.jsonl, summary.json, checkpoints/, tensorboard/"),
                l -> assertThat(l).isEqualTo("run directory: " + run));
        // every output has the mode of a file created now, whether written in place or through a rename
        Path probe = Files.createFile(dir.resolve("probe"));
        var mode = Files.getPosixFilePermissions(probe);
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.getPosixFilePermissions(f)).as(run.relativize(f).toString()).isEqualTo(mode);
            }
        }
    }

    private static final String FASHION = """
            experiment('fashion_small') {
                data 'fashion', centered: true
                sde 'subvp'
                model 'mlp', hidden: [16]
                train { steps 2; batchSize '512' }
            }
            """;

    @Test
    void validateChecksAScriptWithoutItsDataButRunNeedsIt() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        String file = script("fashion_small.groovy", FASHION.replace("'512'", "4"));
        Sdex.Result v = sdex("validate", file, "--data", empty.toString());
        assertThat(v.code()).as(v.err()).isZero();
        String missing = "data 'fashion': no file " + empty.resolve("fashion-train-images-idx3-ubyte") + "(.gz) (IDX images of split"
                + " 'train' for prefix 'fashion'); get it with: sdex data get fashion (--data DIR or SDEX_DATA chooses the data root)";
        assertThat(v.out()).isEqualTo(file + ": experiment 'fashion_small' is valid; its data is not here yet: " + missing + "\n");

        Sdex.Result r = sdex("run", file, "--data", empty.toString(), "--out", dir.resolve("runs").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: fashion_small.groovy:2: " + missing + "\n");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void aQuotedNumberIsRejectedAtItsLine() throws IOException {
        String file = script("fashion_small.groovy", FASHION);
        Sdex.Result r = sdex("validate", file);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: fashion_small.groovy:5: train setting 'batchSize' must be an integer, got '512'"
                + " (text; write the number without quotes)\n");
    }

    @Test
    void theDslDocsOdeOverrideSwitchesAPredictorCorrectorScript() throws IOException {
        String file = script("gmm_pc.groovy", GMM);
        Sdex.Result r = sdex("run", file, "--dry-run", "--set", "sample.ode=rk45", "--set", "sample.ode.rtol=1e-3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"way\" : \"ode\"", "\"rtol\" : 0.001");
        Sdex.Result bad = sdex("validate", file, "--set", "sample.ode.rtol=-1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: --set sample.ode.rtol=-1: ");
    }

    @Test
    void librariesPrintingToStdoutDuringARunDoNotReachIt() throws IOException {
        String tiny = script("tiny.groovy", TINY.formatted("tiny", "train { steps 2; batchSize 16 }"));
        PrintStream original = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        Sdex.Result r;
        try {
            r = sdex("run", tiny, "--out", dir.resolve("runs").toString(), "--no-progress");
        } finally {
            System.setOut(original);
        }
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(r.out()).contains("tiny: trained ", "run directory: ");
    }

    private static final String GMM_ALL = """
            experiment('gmm_all') {
                seed 3
                data 'gmm', weights: [0.6, 0.4], means: [[-1.5, 0], [1.5, 0.5]], std: [0.4]
                sde 'vp'
                model 'exact'
                sample {
                    %s
                    n 300
                    plot false
                }
                likelihood {
                    n 40
                    batchSize 40
                    trace 'exact'
                    ode 'rk45', rtol: 1e-6, atol: 1e-6
                }
            }
            """;

    private JsonNode runAndRead(String sampling) throws IOException {
        String file = script("gmm_all.groovy", GMM_ALL.formatted(sampling));
        Path out = dir.resolve("runs-" + Math.abs(sampling.hashCode()));
        Sdex.Result r = sdex("run", file, "--out", out.toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> runs = Files.list(out)) {
            Path run = runs.findFirst().orElseThrow();
            assertThat(run.resolve("samples.npy")).exists();
            assertThat(run.resolve("likelihood.npy")).exists();
            assertThat(run.resolve("likelihood.csv")).exists();
            assertThat(run.resolve("latents.npy")).exists();
            return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        }
    }

    @Test
    void everyWayOfSamplingRecordsItsNfeAndTheLikelihoodMatchesTheClosedForm() throws IOException {
        JsonNode solver = runAndRead("solver 'dpm_solver_pp'; steps 15");
        assertThat(solver.at("/sample/nfe").asDouble()).isEqualTo(15);
        assertThat(solver.at("/sample/method").asText()).isEqualTo("solver dpm_solver_pp");
        // the likelihood block: exact model, exact trace, closed-form comparison
        assertThat(solver.at("/likelihood/maeNats").asDouble()).isLessThan(5e-3);
        assertThat(solver.at("/likelihood/roundTripMeanRelError").asDouble()).isLessThan(1e-3);

        JsonNode ode = runAndRead("ode 'rk45', rtol: 1e-4, atol: 1e-4");
        assertThat(ode.at("/sample/nfe").asDouble()).isBetween(20.0, 400.0);
        assertThat(ode.at("/sample/steps").isMissingNode()).isTrue();

        JsonNode fixed = runAndRead("ode 'heun'; steps 10; denoise false");
        org.sdex.plugins.ode.HeunPlugin heun = new org.sdex.plugins.ode.HeunPlugin();
        assertThat(fixed.at("/sample/nfe").asDouble()).isEqualTo(heun.evaluations(org.sdex.spi.Params.of(heun, Map.of()), 10));

        JsonNode pc = runAndRead("predictor 'reverse_diffusion'; corrector 'langevin', snr: 0.16, nSteps: 2; steps 25");
        assertThat(pc.at("/sample/nfe").asDouble()).isEqualTo(25 * 3);
    }

    @Test
    void pointsFromAFileAreEvaluatedInsteadOfTheData() throws IOException {
        String file = script("gmm_points.groovy", GMM_ALL.formatted("steps 5"));
        Path points = dir.resolve("points.npy");
        org.sdex.core.run.Npy.write(org.nd4j.linalg.factory.Nd4j.create(new double[][] {{0, 0}, {1.5, 0.5}, {-1.5, 0}}), points);
        Path out = dir.resolve("runs-points");
        Sdex.Result r = sdex("run", file, "--out", out.toString(), "--no-progress", "--points", points.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> runs = Files.list(out)) {
            JsonNode summary = new ObjectMapper().readTree(runs.findFirst().orElseThrow().resolve("summary.json").toFile());
            assertThat(summary.at("/likelihood/points").asInt()).isEqualTo(3);
        }

        Path wrong = dir.resolve("wrong.npy");
        org.sdex.core.run.Npy.write(org.nd4j.linalg.factory.Nd4j.create(new double[][] {{0, 0, 0}}), wrong);
        Sdex.Result bad = sdex("run", file, "--out", out.toString(), "--no-progress", "--points", wrong.toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().strip()).contains("expected points of shape [N, 2], got [1, 3]").doesNotContain("\n").doesNotContain("at org.");
    }

    @Test
    void benchSamplersWritesATableWithEverySampler() throws IOException {
        Path report = dir.resolve("samplers.md");
        Sdex.Result r = sdex("bench", "samplers", "--quick", "--n", "200", "--sde", "ve", "--out", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String md = Files.readString(report);
        assertThat(md).contains("| euler_maruyama + none |", "| ode rk45 |", "| solver dpm_solver_pp |",
                "| reverse_diffusion + langevin |", "2-D mixture, `ve`", "6-D mixture, `ve`");
        assertThat(sdex("bench", "nothing").code()).isEqualTo(64);
    }

    @Test
    void dataRootPrecedence() throws IOException {
        Path cwd = Files.createDirectories(dir.resolve("work/main"));
        assertThat(DataRoot.resolve("/d", Map.of("SDEX_DATA", "/e"), cwd)).isEqualTo(Path.of("/d"));
        assertThat(DataRoot.resolve(null, Map.of("SDEX_DATA", "/e"), cwd)).isEqualTo(Path.of("/e"));
        assertThat(DataRoot.resolve(null, Map.of(), cwd)).isEqualTo(cwd.resolve("data"));
        Path shared = Files.createDirectories(dir.resolve("work/shared/data"));
        assertThat(DataRoot.resolve(null, Map.of(), cwd)).isEqualTo(shared);
        // downloads go to ./data, which from then on is the default
        assertThat(DataRoot.download(null, Map.of(), cwd)).isEqualTo(cwd.resolve("data"));
        assertThat(DataRoot.download(null, Map.of("SDEX_DATA", "/e"), cwd)).isEqualTo(Path.of("/e"));
        Files.createDirectories(cwd.resolve("data"));
        assertThat(DataRoot.resolve(null, Map.of(), cwd)).isEqualTo(cwd.resolve("data"));
    }

    @Test
    void dataListShowsWhatIsPresentAndGetReportsFailuresInOneLine() throws IOException {
        Path root = Files.createDirectories(dir.resolve("d"));
        for (String f : new String[] {"train-images-idx3", "train-labels-idx1", "test-images-idx3", "test-labels-idx1"}) {
            Files.writeString(root.resolve("fashion-" + f + "-ubyte.gz"), "x");
        }
        Files.writeString(root.resolve("mnist-train-images-idx3-ubyte.gz"), "x");
        Sdex.Result list = sdex("data", "list", "--data", root.toString());
        assertThat(list.code()).isZero();
        assertThat(list.out()).startsWith("data root: " + root + " (from --data)\n")
                .containsPattern("(?m)^\\s*mnist\\s+incomplete \\(1 of 4 files\\)")
                .containsPattern("(?m)^\\s*fashion\\s+present\\s")
                .containsPattern("(?m)^\\s*cifar10\\s+missing\\s");

        Sdex.Result unknown = sdex("data", "get", "svhn", "--data", root.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("error: unknown data set 'svhn'. Accepted: mnist, fashion, cifar10\n");
        assertThat(sdex("data", "fetch").code()).isEqualTo(64);

        // nothing listens on this port (a free port, closed again): one line, nothing left behind
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path target = dir.resolve("new-root");
        Sdex.Result down = sdex("data", "get", "mnist", "--data", target.toString(), "--no-progress", "--mirror", "http://127.0.0.1:" + port + "/");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err()).startsWith("error: cannot reach http://127.0.0.1:" + port + "/train-images-idx3-ubyte.gz: ").doesNotContain("\tat ");
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).isEmpty();
        }
    }
}
