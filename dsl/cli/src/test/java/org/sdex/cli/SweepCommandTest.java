package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdex sweep}: points listed and validated before anything is written, one-line errors for
 * bad sweeps, a local run of every point (then only the unfinished ones), status and report, and
 * the Kubernetes manifest read back as a batch/v1 Indexed Job.
 */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private Sdex.Result sdex(Map<String, String> env, String... args) { return Sdex.run(dir, env, args); }

    private Sdex.Result sdex(String... args) { return sdex(Map.of(), args); }

    private String script(String name, String sweep) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, """
                experiment('mix') {
                    seed 2
                    data 'gmm'
                    sde 'vp'
                    model 'exact'
                    sample { solver 'ddim'; steps 10; n 200; plot false }
                    sweep {
                %s
                    }
                }
                """.formatted(sweep));
        return p.toString();
    }

    @Test
    void listPrintsEveryPointOfAGridTimesAZipTimesTheCommandLineGrid() throws IOException {
        String s = script("grid.groovy", """
                        grid 'sample.solver': ['ddim', 'dpm_solver_pp'], 'sde.betaMax': [10, 20.5]
                        zip 'sample.n': [100, 300], 'sample.eps': [1e-3, 2e-3]
                """);
        Sdex.Result r = sdex("sweep", s, "--list", "--grid", "sample.steps=5,7");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("16 points, all valid")
                .containsPattern("(?m)^000-ddim-10-100-0\\.001-5\\s+sample\\.solver=ddim sde\\.betaMax=10 sample\\.n=100 sample\\.eps=0\\.001 sample\\.steps=5$")
                .containsPattern("(?m)^015-dpm_solver_pp-20\\.5-300-0\\.002-7\\s+sample\\.solver=dpm_solver_pp sde\\.betaMax=20\\.5 sample\\.n=300 sample\\.eps=0\\.002 sample\\.steps=7$");
        assertThat(dir.resolve("sweeps")).doesNotExist();
    }

    @Test
    void randomSearchDrawsTheSamePointsForTheSameSeedAndStaysInItsRanges() throws IOException {
        String s = script("random.groovy", """
                        random(count: 6, seed: 4) {
                            logUniform 'sde.betaMax', 5, 50
                            uniform 'sample.eps', 1e-4, 1e-2
                            choice 'sample.solver', ['ddim', 'edm_heun']
                        }
                """);
        Sdex.Result a = sdex("sweep", s, "--list");
        Sdex.Result b = sdex("sweep", s, "--list");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).contains("6 points, all valid");
        for (String line : a.out().lines().filter(l -> l.startsWith("0")).toList()) {
            double beta = Double.parseDouble(line.replaceAll(".*sde\\.betaMax=(\\S+).*", "$1"));
            double eps = Double.parseDouble(line.replaceAll(".*sample\\.eps=(\\S+).*", "$1"));
            assertThat(beta).isBetween(5.0, 50.0);
            assertThat(eps).isBetween(1e-4, 1e-2);
            assertThat(line).containsPattern("sample\\.solver=(ddim|edm_heun)");
        }
    }

    @Test
    void anInvalidPointIsOneLineWithItsIndexAndNothingIsWritten() throws IOException {
        String s = script("bad.groovy", "        grid 'sample.steps': [10, -3]");
        Sdex.Result r = sdex("sweep", s, "--dir", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: bad.groovy:7: sweep point 1 (sample.steps=-3): ").contains("steps");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aSettingThatIsNotThereIsOneLineNamingWhatIsAccepted() throws IOException {
        Sdex.Result unknown = sdex("sweep", script("typo.groovy", "        grid 'sample.stpes': [10, 20]"), "--list");
        assertThat(unknown.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(unknown.err()).hasLineCount(1).contains("sweep point 0 (sample.stpes=10)").contains("stpes").contains("steps");

        // vp has betaMin and betaMax; sigmaMax belongs to ve
        Sdex.Result param = sdex("sweep", script("param.groovy", "        grid 'sde.sigmaMax': [10, 20]"), "--list");
        assertThat(param.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(param.err()).hasLineCount(1).contains("sweep point 0 (sde.sigmaMax=10)").contains("sigmaMax").contains("betaMax");
    }

    @Test
    void anEmptyGridOrAnUnknownSweepKeywordIsOneLineAtTheScriptLine() throws IOException {
        Sdex.Result empty = sdex("sweep", script("empty.groovy", "        grid 'sample.steps': []"), "--list");
        assertThat(empty.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(empty.err()).hasLineCount(1).startsWith("error: empty.groovy:8: 'sample.steps' has no values");

        Sdex.Result keyword = sdex("sweep", script("kw.groovy", "        grids 'sample.steps': [1]"), "--list");
        assertThat(keyword.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(keyword.err()).hasLineCount(1).startsWith("error: kw.groovy:8: unknown keyword 'grids' in sweep. Accepted: grid, zip, random, slurm, k8s");

        Sdex.Result zip = sdex("sweep", script("zip.groovy", "        zip 'sample.steps': [1, 2], 'sample.n': [10]"), "--list");
        assertThat(zip.err()).hasLineCount(1).contains("zip.groovy:8: zip needs lists of one length");

        Sdex.Result none = sdex("sweep", script("none.groovy", ""), "--list");
        assertThat(none.err()).hasLineCount(1).contains("none.groovy:7: the sweep has nothing to sweep");
    }

    @Test
    void slurmWithoutSbatchOnThePathSubmitsNothing() throws IOException {
        String s = script("slurm.groovy", "        grid 'sample.steps': [5, 10]");
        Path out = dir.resolve("slurm-sweep");
        Sdex.Result r = sdex(Map.of("PATH", dir.resolve("no-bin").toString()), "sweep", s, "--executor", "slurm", "--dir", out.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(r.err()).hasLineCount(1).startsWith("error: --executor slurm: sbatch is not on the PATH");
        assertThat(out).doesNotExist();
    }

    @Test
    void localRunsEveryPointThenOnlyTheUnfinishedOnesAndReportsThem() throws IOException {
        String s = script("local.groovy", "        grid 'sample.solver': ['ddim', 'dpm_solver_pp'], 'sample.steps': [4, 16]");
        Path out = dir.resolve("local-sweep");
        Sdex.Result run = sdex("sweep", s, "--dir", out.toString(), "--parallel", "2");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("running 4 of 4 points, 2 at a time with 1 thread each").contains("all 4 points done");

        Sdex.Result status = sdex("sweep", "status", out.toString());
        assertThat(status.code()).isZero();
        assertThat(status.out()).containsPattern("(?m)^000-ddim-4\\s+done\\s+1\\s").contains("4 done");

        // a rerun of a finished index does nothing; a resubmission runs only what is unfinished
        Sdex.Result again = sdex("sweep", "task", out.toString(), "--index", "2");
        assertThat(again.out()).contains("point 002-dpm_solver_pp-4 is done; nothing to do");
        deleteTree(out.resolve("003-dpm_solver_pp-16"));
        Sdex.Result resubmit = sdex("sweep", s, "--dir", out.toString(), "--parallel", "1");
        assertThat(resubmit.code()).as(resubmit.err()).isZero();
        assertThat(resubmit.out()).contains("3 of 4 points are done already").contains("running 1 of 4 points");

        Sdex.Result report = sdex("sweep", "report", out.toString(), "--x", "sample.steps");
        assertThat(report.code()).as(report.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("report.csv"));
        assertThat(csv.get(0)).isEqualTo("point,state,sample.solver,sample.steps,slicedWasserstein,nfe,seconds");
        assertThat(csv).hasSize(5);
        double previous = 0;
        for (String row : csv.subList(1, 5)) {
            assertThat(row).contains(",done,");
            double sw = Double.parseDouble(row.split(",")[4]);
            assertThat(sw).isGreaterThanOrEqualTo(previous);
            previous = sw;
        }
        // NFE is the solver's own count: ddim one evaluation per step
        assertThat(csv).anyMatch(r -> r.matches("0,done,ddim,4,[^,]+,4\\.0,.*"));
        assertThat(Files.readString(out.resolve("report.md"))).contains("sorted by slicedWasserstein").contains("| 000-ddim-4 | done | ddim | 4 |");
        assertThat(out.resolve("report.png")).isNotEmptyFile();
    }

    @Test
    void aPointThatFailsWhileRunningIsFailedInTheStatusWithItsErrorLine() throws IOException {
        Path p = dir.resolve("diverging.groovy");
        Files.writeString(p, """
                experiment('diverging') {
                    seed 1
                    data 'moons'
                    sde 'vp'
                    model 'mlp', hidden: [8]
                    train { steps 50; batchSize 16; lr 1e-3; gradClip 0; logEvery 10; checkpointEvery 25 }
                    sample { predictor 'euler_maruyama'; steps 5; n 8; plot false }
                    sweep { grid 'train.lr': [1e9] }
                }
                """);
        Path out = dir.resolve("diverging-sweep");
        Sdex.Result run = sdex("sweep", p.toString(), "--dir", out.toString());
        assertThat(run.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).hasLineCount(1).contains("1 of 1 points failed; see sdex sweep status");
        Sdex.Result status = sdex("sweep", "status", out.toString());
        assertThat(status.out()).containsPattern("(?m)^000-\\S+\\s+failed\\s+1\\s+training diverged at step \\d+: ")
                .contains("1 failed");
    }

    @Test
    void aSweepDirectoryOfAnotherScriptIsRefused() throws IOException {
        Path out = dir.resolve("shared");
        String a = script("a.groovy", "        grid 'sample.steps': [5]");
        assertThat(sdex("sweep", a, "--dir", out.toString(), "--executor", "k8s", "--image", "sdex:1", "--claim", "c").code()).isZero();
        String b = script("b.groovy", "        grid 'sample.steps': [6]");
        Sdex.Result r = sdex("sweep", b, "--dir", out.toString(), "--executor", "k8s", "--image", "sdex:1", "--claim", "c");
        assertThat(r.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(r.err()).hasLineCount(1).contains("holds the sweep of a.groovy").contains("choose another --dir");
    }

    @Test
    void theKubernetesManifestIsAnIndexedJobOverTheSweepsPoints() throws IOException {
        String s = script("k8s.groovy", """
                        grid 'sample.steps': [5, 10, 20]
                        k8s { image 'registry.example/sdex:0.1'; claim 'sweeps-pvc'; cpu 2; memory '3Gi'; parallelism 2 }
                """);
        Path out = dir.resolve("k8s-sweep");
        Sdex.Result r = sdex("sweep", s, "--executor", "k8s", "--dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("kubectl apply -f");
        JsonNode job = JSON.readTree(out.resolve("k8s/job.json").toFile());
        assertThat(job.path("apiVersion").asText()).isEqualTo("batch/v1");
        assertThat(job.path("kind").asText()).isEqualTo("Job");
        assertThat(job.path("metadata").path("name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        JsonNode spec = job.path("spec");
        assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
        assertThat(spec.path("completions").asInt()).isEqualTo(3);
        assertThat(spec.path("parallelism").asInt()).isEqualTo(2);
        JsonNode pod = spec.path("template").path("spec");
        assertThat(pod.path("restartPolicy").asText()).isIn("OnFailure", "Never");
        JsonNode c = pod.path("containers").get(0);
        assertThat(c.path("image").asText()).isEqualTo("registry.example/sdex:0.1");
        assertThat(JSON.convertValue(c.path("command"), List.class)).containsExactly("sdex", "sweep", "task", "/sweeps/k8s-sweep", "--no-progress");
        assertThat(c.path("resources").path("requests").path("cpu").asText()).isEqualTo("2");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("3Gi");
        assertThat(c.path("env").findValuesAsText("name")).contains("OMP_NUM_THREADS");
        assertThat(c.path("volumeMounts").get(0).path("mountPath").asText()).isEqualTo("/sweeps");
        String volume = c.path("volumeMounts").get(0).path("name").asText();
        assertThat(pod.path("volumes").get(0).path("name").asText()).isEqualTo(volume);
        assertThat(pod.path("volumes").get(0).path("persistentVolumeClaim").path("claimName").asText()).isEqualTo("sweeps-pvc");
        // without --apply nothing talks to a cluster; the points' folders are made by the pods
        assertThat(out.resolve("000-5")).doesNotExist();
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
