package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preemption: a training process killed with SIGKILL mid-run and started again with
 * {@code --resume} produces the same loss sequence, line for line, as a run that was never
 * interrupted; and a corrupted newest checkpoint makes the resume fall back to the one before.
 */
class KilledRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = """
            experiment('preempted') {
                seed 5
                data 'moons'
                sde 'vp'
                model 'mlp', hidden: [64, 64]
                train { steps 600; batchSize 64; lr 1e-3; warmup 20; ema 0.99; logEvery 10; checkpointEvery 50; keepCheckpoints 3 }
                sample { predictor 'euler_maruyama'; steps 10; n 16 }
            }
            """;

    @TempDir Path dir;

    @Test
    void aKilledRunResumesExactlyAndSkipsACorruptCheckpoint() throws Exception {
        Path script = dir.resolve("preempted.groovy");
        Files.writeString(script, SCRIPT);

        Path straightRun = run("run", script.toString(), "--out", dir.resolve("straight").toString(), "--no-progress");
        List<String> expected = losses(straightRun);
        assertThat(expected).hasSize(60);

        // a separate JVM, killed (SIGKILL: no shutdown hooks) once its third checkpoint is on disk
        Path out = dir.resolve("killed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", script.toString(), "--out", out.toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path runDir = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            runDir = runDirectory(out);
            if (runDir != null && checkpoints(runDir) >= 3) break;
            assertThat(p.isAlive()).as("the run ended before it could be killed: " + Files.readString(dir.resolve("killed.log"))).isTrue();
            Thread.sleep(20);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(runDir).isNotNull();
        int reached = losses(runDir).size();
        assertThat(reached).as("killed mid-run").isBetween(15, 59);

        // the newest checkpoint is damaged (a torn write that slipped through): resume must use the previous one
        Path newest = newestCheckpoint(runDir);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(newest, bytes);

        Path resumed = run("run", script.toString(), "--resume", runDir.toString(), "--no-progress");
        assertThat(resumed).isEqualTo(runDir);
        assertThat(losses(runDir)).containsExactlyElementsOf(expected);
    }

    /** Runs sdex in this JVM; returns the run directory it reports. */
    static Path run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        int at = o.lastIndexOf("run directory: ");
        assertThat(at).as(o).isNotNegative();
        return Path.of(o.substring(at + "run directory: ".length()).strip());
    }

    static Path runDirectory(Path out) throws IOException {
        if (!Files.isDirectory(out)) return null;
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).findFirst().orElse(null);
        }
    }

    private static long checkpoints(Path runDir) throws IOException {
        Path c = runDir.resolve("checkpoints");
        if (!Files.isDirectory(c)) return 0;
        try (Stream<Path> s = Files.list(c)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".sdex")).count();
        }
    }

    private static Path newestCheckpoint(Path runDir) throws IOException {
        try (Stream<Path> s = Files.list(runDir.resolve("checkpoints"))) {
            return s.filter(f -> f.getFileName().toString().matches("ckpt-\\d+\\.sdex"))
                    .max((a, b) -> Integer.compare(step(a), step(b))).orElseThrow();
        }
    }

    private static int step(Path ckpt) {
        String n = ckpt.getFileName().toString();
        return Integer.parseInt(n.substring(5, n.length() - 5));
    }

    /** "step loss" of every train line of metrics.jsonl, in file order (a torn last line is skipped). */
    static List<String> losses(Path runDir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException torn) {
                continue;
            }
            if (n != null && "train".equals(n.path("event").asText())) {
                out.add(n.get("step").asInt() + " " + n.get("loss").asText());
            }
        }
        return out;
    }
}
