package org.sdex.bench;

import java.util.List;
import java.util.Map;

/**
 * How the benchmark starts PyTorch: in the environment a PyTorch user has, not the sdex launcher's.
 * The launcher tunes glibc's allocator, OpenMP and the JVM for ND4J (with its allocator settings
 * every tensor of 64 KB or more is a fresh mmap, which slows PyTorch down by up to 3x); none of that,
 * nor what a user set for sdex the same way, reaches the child. Its thread count is the benchmark's,
 * given as a PyTorch user gives it: {@code OMP_NUM_THREADS} (and {@code torch.set_num_threads} in the script).
 */
final class PyTorchProcess {
    static final List<String> NOT_INHERITED_PREFIXES = List.of("MALLOC_", "OMP_", "KMP_", "GOMP_", "MKL_", "OPENBLAS_", "DNNL_", "ONEDNN_");
    static final List<String> NOT_INHERITED = List.of("LD_PRELOAD", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "SDEX_JAVA_OPTS",
            "SDEX_THREADS");

    private PyTorchProcess() {}

    /** Removes from {@code env} what sdex's side is tuned with (see {@link #NOT_INHERITED_PREFIXES}). */
    static void asPyTorchUsersRunIt(Map<String, String> env) {
        env.keySet().removeIf(k -> NOT_INHERITED.contains(k) || NOT_INHERITED_PREFIXES.stream().anyMatch(k::startsWith));
    }

    /** {@code cmd} with {@code parentEnv} without sdex's tuning and {@code threads} OpenMP threads. */
    static ProcessBuilder builder(List<String> cmd, Map<String, String> parentEnv, int threads) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(parentEnv);
        asPyTorchUsersRunIt(pb.environment());
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        return pb;
    }
}
