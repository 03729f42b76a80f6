package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's PyTorch side runs as PyTorch's users run it: none of the variables the sdex
 * launcher sets for ND4J (glibc allocator, OpenMP) reach it, whatever the parent process has.
 */
class PyTorchEnvironmentTest {
    /** What `./sdex` exports before starting the JVM, and what a user may have added for sdex. */
    static final Map<String, String> LAUNCHER = Map.of("MALLOC_MMAP_THRESHOLD_", "65536", "MALLOC_TRIM_THRESHOLD_", "131072",
            "MALLOC_ARENA_MAX", "2", "OMP_WAIT_POLICY", "PASSIVE", "OMP_NUM_THREADS", "1", "LD_PRELOAD", "/usr/lib/libjemalloc.so",
            "SDEX_JAVA_OPTS", "-Xmx8g", "JAVA_TOOL_OPTIONS", "-Dx=y");

    @Test
    void noneOfTheLaunchersTuningReachesTheChild() throws Exception {
        Map<String, String> env = new HashMap<>(LAUNCHER);
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", "/root");
        env.put("SDEX_BENCH_THREADS", "2");
        NetworkBenchmark.asPyTorchUsersRunIt(env);
        assertThat(env).containsOnlyKeys("PATH", "HOME", "SDEX_BENCH_THREADS");
    }

    @Test
    void aChildStartedTheBenchmarksWaySeesAnEnvironmentWithoutThem() throws Exception {
        Map<String, String> parent = new HashMap<>(System.getenv());
        parent.putAll(LAUNCHER); // as if the JVM had been started by the launcher
        Process p = NetworkBenchmark.pyTorchProcess(List.of("/usr/bin/env"), parent).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        for (String k : LAUNCHER.keySet()) assertThat(out).doesNotContainPattern("(?m)^" + k + "=");
        assertThat(out).containsPattern("(?m)^PATH=");
    }
}
