package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's PyTorch side runs as PyTorch's users run it: none of the variables the sdex
 * launcher sets for ND4J (glibc allocator, OpenMP) reach it, whatever the parent process has; its
 * thread count is the benchmark's.
 */
class PyTorchEnvironmentTest {
    /** What `./sdex` exports before starting the JVM, and what a user may have added for sdex. */
    static final Map<String, String> LAUNCHER = Map.of("MALLOC_MMAP_THRESHOLD_", "65536", "MALLOC_TRIM_THRESHOLD_", "131072",
            "MALLOC_ARENA_MAX", "2", "OMP_WAIT_POLICY", "PASSIVE", "OMP_NUM_THREADS", "1", "LD_PRELOAD", "/usr/lib/libjemalloc.so",
            "SDEX_JAVA_OPTS", "-Xmx8g", "JAVA_TOOL_OPTIONS", "-Dx=y", "SDEX_THREADS", "1");

    @Test
    void noneOfTheLaunchersTuningReachesTheChild() throws Exception {
        Map<String, String> env = new HashMap<>(LAUNCHER);
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", "/root");
        PyTorchProcess.asPyTorchUsersRunIt(env);
        assertThat(env).containsOnlyKeys("PATH", "HOME");
    }

    @Test
    void aChildStartedTheBenchmarksWaySeesAnEnvironmentWithoutThemAndTheBenchmarksThreads() throws Exception {
        Map<String, String> parent = new HashMap<>(System.getenv());
        parent.putAll(LAUNCHER); // as if the JVM had been started by the launcher
        Process p = PyTorchProcess.builder(List.of("/usr/bin/env"), parent, 3).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        for (String k : LAUNCHER.keySet()) if (!k.equals("OMP_NUM_THREADS")) assertThat(out).doesNotContainPattern("(?m)^" + k + "=");
        assertThat(out).containsPattern("(?m)^OMP_NUM_THREADS=3$").containsPattern("(?m)^PATH=");
    }
}
