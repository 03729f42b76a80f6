package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher's choice of ND4J's thread count (the block between "# threads: begin" and "# threads: end" of ./sdex). */
class LauncherThreadsTest {
    private static final Path LAUNCHER = Path.of("../../sdex").toAbsolutePath().normalize();

    record Outcome(int code, String threads, String err) {}

    /** Runs the block with these arguments and environment; what OMP_NUM_THREADS became. */
    private static Outcome threads(Map<String, String> env, String... args) throws Exception {
        String text = Files.readString(LAUNCHER);
        String block = text.substring(text.indexOf("# threads: begin"), text.indexOf("# threads: end"));
        List<String> command = new ArrayList<>(List.of("bash", "-c", "set -u\n" + block + "\necho \"${OMP_NUM_THREADS:-unset}\"", "sdex"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().remove("SDEX_THREADS");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.waitFor(30, TimeUnit.SECONDS);
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    private static int cores() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nproc").start();
        p.waitFor(10, TimeUnit.SECONDS);
        return Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    @Test
    void anExplicitCountWins() throws Exception {
        assertThat(threads(Map.of("SDEX_THREADS", "2"), "run", "x.groovy", "--threads", "3").threads()).isEqualTo("3");
        assertThat(threads(Map.of(), "run", "x.groovy", "--threads=4").threads()).isEqualTo("4");
        assertThat(threads(Map.of("SDEX_THREADS", "2", "OMP_NUM_THREADS", "7"), "run", "x.groovy").threads()).isEqualTo("2");
        assertThat(threads(Map.of("OMP_NUM_THREADS", "7"), "run", "x.groovy").threads()).isEqualTo("7");
        Outcome zero = threads(Map.of(), "run", "x.groovy", "--threads", "0");
        assertThat(zero.code()).isEqualTo(64);
        assertThat(zero.err()).isEqualTo("error: --threads/SDEX_THREADS must be an integer >= 1, got '0'");
    }

    @Test
    void aListIsLeftToTheBenchmarkWhichStartsOneJvmPerCount() throws Exception {
        Outcome list = threads(Map.of("OMP_NUM_THREADS", "7"), "bench", "network", "--threads", "1,2");
        assertThat(list.code()).isZero();
        assertThat(list.threads()).isEqualTo("7"); // not exported: each count's JVM gets its own
        for (String bad : new String[] {"1,,2", "1,0", "1,x", ",1"}) {
            Outcome o = threads(Map.of(), "bench", "network", "--threads", bad);
            assertThat(o.code()).as(bad).isEqualTo(64);
            assertThat(o.err()).isEqualTo("error: --threads must be integers >= 1 separated by commas, got '" + bad + "'");
        }
    }

    @Test
    void byDefaultTheCoresAreSplitWithTheSdexProcessesRunning() throws Exception {
        int cores = cores();
        // a stand-in for a running sdex: its command line names the CLI jar as `java -jar` does
        Process other = new ProcessBuilder("sh", "-c", "sleep 30; :", "-jar", "/nowhere/sdex-cli-0.jar").start();
        try {
            int shared = Integer.parseInt(threads(Map.of(), "run", "x.groovy").threads());
            assertThat(shared).isBetween(1, Math.max(1, cores / 2));
        } finally {
            other.destroyForcibly();
        }
    }
}
