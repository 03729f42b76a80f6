package org.sdex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.backend.NativeBackend;

/**
 * What both sides ran with, for the header of a table: the thread count asked for and what each
 * side reports, each side's build (PyTorch's {@code torch.__config__}, ND4J's version and native
 * build), the allocator settings each process actually saw, and each side's sgemm peak. Shares of
 * the peak in the table are of the larger of the two peaks: the machine's.
 */
record BenchEnvironment(int threads, int cores, JsonNode torch, double torchPeak, Sdex sdex, double sdexPeak) {

    /** sdex's side as this JVM sees it. */
    record Sdex(String nd4jVersion, String nativeBuild, String ompNumThreads, int nd4jThreads, Map<String, String> allocatorEnv) {
        static Sdex ofThisJvm() {
            Map<String, String> alloc = new TreeMap<>();
            System.getenv().forEach((k, v) -> { if (k.startsWith("MALLOC_") || k.equals("LD_PRELOAD")) alloc.put(k, v); });
            String ext = System.getProperty(NativeBackend.EXTENSION_PROPERTY, "");
            return new Sdex(loadedNd4jVersion(), ext.isEmpty() ? "plain x86_64 build" : "`" + ext.substring(1) + "` build",
                    System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Nd4j.getEnvironment().maxThreads(), alloc);
        }

        /** From the jar ND4J was loaded from (its manifest has no version). */
        private static String loadedNd4jVersion() {
            try {
                String where = Nd4j.class.getProtectionDomain().getCodeSource().getLocation().getPath();
                Matcher m = Pattern.compile("nd4j-api-([^/]+)\\.jar").matcher(where);
                return m.find() ? m.group(1) : "of unknown version";
            } catch (RuntimeException e) {
                return "of unknown version";
            }
        }
    }

    double machinePeak() { return Math.max(torchPeak, sdexPeak); }

    /** Whether either side computes with another thread count than asked for (the table is then not fair). */
    boolean threadsDiffer() {
        return sdex.nd4jThreads() != threads || torch.path("threads").asInt() != threads;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "* **Machine**: %d cores; float32 sgemm (%d x %d) peak %.0f GFLOP/s through PyTorch's torch.mm, "
                + "%.0f GFLOP/s through ND4J's mmul; the shares of peak below are of %.0f GFLOP/s.%n",
                cores, SgemmPeak.SIZE, SgemmPeak.SIZE, torchPeak, sdexPeak, machinePeak()));
        md.append(String.format(Locale.ROOT, "* **PyTorch** %s (%s; BLAS %s; %s; %s): torch.get_num_threads() = %d, OMP_NUM_THREADS = %s; "
                        + "allocator: %s.%n",
                torch.path("torch").asText("?"), torch.path("onednn").asText("?"), torch.path("blas").asText("?"),
                torch.path("openmp").asText("?"), torch.path("cpu").asText("?"), torch.path("threads").asInt(),
                torch.path("ompNumThreads").asText("unset"), allocator(torchAllocator())));
        md.append(String.format(Locale.ROOT, "* **sdex** on ND4J/SameDiff %s (%s): OMP_NUM_THREADS = %s, ND4J's threads = %d; allocator: %s.%n",
                sdex.nd4jVersion(), sdex.nativeBuild(), sdex.ompNumThreads(), sdex.nd4jThreads(), allocator(sdex.allocatorEnv())));
        if (threadsDiffer()) {
            md.append("* **Not comparable**: a side computes with another thread count than the ").append(threads)
                    .append(" asked for (start sdex with `--threads`, see above).\n");
        }
        return md.toString();
    }

    private Map<String, String> torchAllocator() {
        Map<String, String> m = new TreeMap<>();
        torch.path("allocatorEnv").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static String allocator(Map<String, String> env) {
        if (env.isEmpty()) return "glibc malloc with its defaults (no MALLOC_* or LD_PRELOAD in its environment)";
        StringBuilder s = new StringBuilder("glibc malloc with ");
        env.forEach((k, v) -> s.append('`').append(k).append('=').append(v).append("` "));
        return s.toString().strip();
    }
}
