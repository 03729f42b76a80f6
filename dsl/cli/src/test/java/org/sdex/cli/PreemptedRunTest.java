package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preemption by signal: a training process that gets Slurm's warning (SIGUSR1) or SIGTERM writes
 * a checkpoint, exits with 75, and {@code --resume} continues so that the loss sequence is the
 * one of a run never interrupted, line for line.
 */
class PreemptedRunTest {
    private static final String SCRIPT = """
            experiment('signalled') {
                seed 9
                data 'moons'
                sde 'vp'
                model 'mlp', hidden: [32, 32]
                train { steps 1500; batchSize 64; lr 1e-3; warmup 20; ema 0.99; logEvery 10; checkpointEvery 500; keepCheckpoints 2 }
                sample { predictor 'euler_maruyama'; steps 10; n 16; plot false }
            }
            """;

    @TempDir Path dir;

    @Test
    void usr1ThenTermEachCheckpointAndExit75AndTheResumedLossesEqualAnUninterruptedRun() throws Exception {
        Path script = dir.resolve("signalled.groovy");
        Files.writeString(script, SCRIPT);
        Path straight = KilledRunTest.run("run", script.toString(), "--out", dir.resolve("straight").toString(), "--no-progress");
        List<String> expected = KilledRunTest.losses(straight);
        assertThat(expected).hasSize(150);

        Path out = dir.resolve("stopped");
        Path runDir = stopAfter(new String[] {"run", script.toString(), "--out", out.toString(), "--no-progress"}, out, "USR1", 5);
        int first = KilledRunTest.losses(runDir).size();
        assertThat(first).as("stopped mid-run").isBetween(5, 149);
        // the checkpoint of the step it stopped at (between the scheduled ones)
        assertThat(runDir.resolve("checkpoints/ckpt-" + first * 10 + ".sdex")).isNotEmptyFile();

        stopAfter(new String[] {"run", script.toString(), "--resume", runDir.toString(), "--no-progress"}, out, "TERM", first + 5);
        int second = KilledRunTest.losses(runDir).size();
        assertThat(second).isGreaterThan(first).isLessThan(150);

        KilledRunTest.run("run", script.toString(), "--resume", runDir.toString(), "--no-progress");
        assertThat(KilledRunTest.losses(runDir)).containsExactlyElementsOf(expected);
    }

    /** Runs sdex in a child JVM, signals it once {@code lines} losses are logged; expects exit 75. */
    private Path stopAfter(String[] args, Path out, String signal, int lines) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("child-" + signal + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path runDir = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            runDir = KilledRunTest.runDirectory(out);
            if (runDir != null && Files.exists(runDir.resolve("metrics.jsonl")) && KilledRunTest.losses(runDir).size() >= lines) break;
            assertThat(p.isAlive()).as("ended before the signal: " + Files.readString(log)).isTrue();
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(75);
        assertThat(Files.readString(log)).contains("stopped: training stopped on request after step");
        assertThat(runDir.resolve("summary.json")).doesNotExist();
        return runDir;
    }
}
