package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.sweep.SweepDirectory;
import org.sdex.core.sweep.SweepPoint;
import org.sdex.core.sweep.SweepStatus;

/**
 * A sweep on a real one-node Slurm cluster ({@code .ci/slurm-cluster}: Debian's slurm-wlm and
 * munge, started here when not running and stopped afterwards): four points through one
 * {@code sbatch} job array; one task gets Slurm's preemption warning (SIGUSR1 to the batch shell)
 * mid-training, checkpoints, requeues itself and resumes. Every point ends done, the preempted
 * point's loss sequence equals an uninterrupted run's, and the report lists all four. Skipped only
 * where Slurm cannot be installed or started.
 */
class SlurmSweepTest {
    private static final String SCRIPT = """
            experiment('slurm_tiny') {
                seed 4
                data 'moons'
                sde 'vp'
                model 'mlp', hidden: [32, 32]
                train { steps 1000; batchSize 64; lr 1e-3; warmup 20; ema 0.99; logEvery 10; checkpointEvery 250; keepCheckpoints 2 }
                sample { predictor 'euler_maruyama'; steps 10; n 64; plot false }
                sweep {
                    grid 'train.lr': [1e-3, 2e-3], 'sde.betaMax': [10, 20]
                }
            }
            """;
    private static Path cluster;
    private static boolean startedHere;
    private static final Map<String, String> env = new HashMap<>(System.getenv());

    @TempDir Path dir;

    @BeforeAll
    static void slurm() throws Exception {
        cluster = findUp(".ci/slurm-cluster");
        Assumptions.assumeTrue(cluster != null, "no .ci/slurm-cluster script above " + Path.of("").toAbsolutePath());
        String conf = env.getOrDefault("SLURM_CONF", "/tmp/sdex-slurm/slurm.conf");
        env.put("SLURM_CONF", conf);
        if (shell(10, "sinfo", "-h").code() != 0) {
            Shell start = shell(600, cluster.toString(), "start");
            Assumptions.assumeTrue(start.code() == 0, "Slurm cannot be installed or started here; skipping the Slurm sweep test: "
                    + start.output.strip().lines().reduce((a, b) -> b).orElse(""));
            startedHere = true;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (startedHere) shell(60, cluster.toString(), "stop");
    }

    @Test
    void aPreemptedArrayTaskIsRequeuedAndResumesExactlyAndTheReportListsEveryPoint() throws Exception {
        Path script = dir.resolve("slurm_tiny.groovy");
        Files.writeString(script, SCRIPT);
        Path sweepDir = dir.resolve("sweep");
        Sdex.Result submit = sdex("sweep", script.toString(), "--executor", "slurm", "--dir", sweepDir.toString(), "--cpus", "1", "--parallel", "4");
        assertThat(submit.code()).as(submit.err()).isZero();
        Matcher m = Pattern.compile("submitted job array (\\d+)").matcher(submit.out());
        assertThat(m.find()).as(submit.out()).isTrue();
        String job = m.group(1);
        assertThat(Files.readString(sweepDir.resolve("slurm/sweep.sbatch"))).contains("#SBATCH --signal=B:USR1@120").contains("--cpus-per-task=1");

        // Slurm's warning to the batch shell of task 0, once it is training
        SweepDirectory sweep = SweepDirectory.open(sweepDir);
        SweepPoint first = sweep.point(0);
        Path firstDir = sweep.pointDir(first);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(firstDir.resolve("metrics.jsonl")) || KilledRunTest.losses(firstDir).size() < 5) {
            assertThat(System.nanoTime()).as(() -> "task 0 never started training: " + status(sweepDir)).isLessThan(deadline);
            Thread.sleep(100);
        }
        // by the task's own job id; scancel retries a signal it thinks failed, so it gets a few seconds
        String task0 = shell(30, "squeue", "-h", "-j", job + "_0", "-o", "%A").output.strip();
        assertThat(task0).as("task 0's job id").matches("\\d+");
        shell(3, "scancel", "--signal=USR1", "--batch", task0);

        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (SweepStatus.counts(SweepStatus.of(sweep)).get("done") < 4) {
            assertThat(SweepStatus.counts(SweepStatus.of(sweep)).get("failed")).as(() -> status(sweepDir)).isZero();
            assertThat(System.nanoTime()).as(() -> "the sweep did not finish: " + status(sweepDir)).isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThat(sweep.state(first).orElseThrow().attempt()).as("task 0 was requeued").isGreaterThanOrEqualTo(2);
        assertThat(slurmLogs(sweepDir)).contains("stopped with a checkpoint; requeueing it");

        // the same point, never interrupted, in a process with the task's one thread (float sums depend on the count)
        List<String> run = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", script.toString(), "--out", dir.resolve("straight").toString(), "--no-progress"));
        for (String a : first.assignments()) run.addAll(List.of("--set", a));
        ProcessBuilder straight = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(dir.resolve("straight.log").toFile());
        straight.environment().putAll(org.sdex.core.sweep.TaskCommand.threadEnv("1"));
        assertThat(straight.start().waitFor()).as(() -> read(dir.resolve("straight.log"))).isZero();
        Path straightDir;
        try (var runs = Files.list(dir.resolve("straight"))) {
            straightDir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        List<String> expected = KilledRunTest.losses(straightDir);
        assertThat(expected).hasSize(100);
        assertThat(KilledRunTest.losses(firstDir)).containsExactlyElementsOf(expected);

        Sdex.Result report = sdex("sweep", "report", sweepDir.toString());
        assertThat(report.code()).as(report.err()).isZero();
        String md = Files.readString(sweepDir.resolve("report.md"));
        for (SweepPoint p : sweep.points()) assertThat(md).contains("| " + p.folder() + " | done |");
        assertThat(Files.readAllLines(sweepDir.resolve("report.csv"))).hasSize(5);
    }

    private Sdex.Result sdex(String... args) { return Sdex.run(dir, env, args); }

    private String status(Path sweepDir) {
        try {
            return sdex("sweep", "status", sweepDir.toString()).out() + "\n" + slurmLogs(sweepDir);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String slurmLogs(Path sweepDir) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (!Files.isDirectory(sweepDir.resolve("logs"))) return "";
        try (var s = Files.list(sweepDir.resolve("logs"))) {
            for (Path f : s.sorted().toList()) sb.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
        }
        return sb.toString();
    }

    private record Shell(int code, String output) {}

    /** Runs a command for at most {@code seconds} (then kills it, code 124); its output read from a file. */
    private static Shell shell(int seconds, String... cmd) throws Exception {
        Path log = Files.createTempFile("sdex-slurm-test", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Shell(127, e.getMessage());
            }
            boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log);
            return ended ? new Shell(p.exitValue(), out) : new Shell(124, out + "\ntimed out");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Path findUp(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) return d.resolve(relative);
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
