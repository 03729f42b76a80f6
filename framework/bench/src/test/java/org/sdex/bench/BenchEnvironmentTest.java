package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table's header names both sides' builds, threads, allocators and sgemm peaks. */
class BenchEnvironmentTest {
    static JsonNode torch(int threads, String allocatorEnv) throws Exception {
        return new ObjectMapper().readTree("{\"torch\": \"1.13.0a0\", \"onednn\": \"Intel(R) MKL-DNN v2.6.3\", \"openmp\": \"OpenMP 201511\","
                + " \"cpu\": \"CPU capability usage: AVX2\", \"blas\": \"generic\", \"threads\": " + threads + ", \"allocatorEnv\": "
                + allocatorEnv + ", \"ompNumThreads\": \"" + threads + "\"}");
    }

    static final BenchEnvironment.Sdex SDEX = new BenchEnvironment.Sdex("1.0.0-M2.1", "`onednn-avx512` build", "2", 2,
            Map.of("MALLOC_ARENA_MAX", "2"));

    @Test
    void theHeaderHasEveryField() throws Exception {
        String md = new BenchEnvironment(2, 2, torch(2, "{}"), 197, SDEX, 150).markdown();
        assertThat(md).contains("2 cores", "4096 x 4096", "197 GFLOP/s through PyTorch's torch.mm", "150 GFLOP/s through ND4J's mmul",
                "shares of peak below are of 197 GFLOP/s", "PyTorch** 1.13.0a0", "MKL-DNN v2.6.3", "BLAS generic", "OpenMP 201511", "AVX2",
                "torch.get_num_threads() = 2", "glibc malloc with its defaults (no MALLOC_* or LD_PRELOAD in its environment)",
                "ND4J/SameDiff 1.0.0-M2.1", "`onednn-avx512` build", "ND4J's threads = 2", "glibc malloc with `MALLOC_ARENA_MAX=2`");
        assertThat(md).doesNotContain("Not comparable");
    }

    @Test
    void unequalThreadsOrAnInheritedAllocatorAreVisible() throws Exception {
        String md = new BenchEnvironment(2, 2, torch(1, "{\"MALLOC_ARENA_MAX\": \"2\"}"), 197, SDEX, 150).markdown();
        assertThat(md).contains("Not comparable").contains("allocator: glibc malloc with `MALLOC_ARENA_MAX=2`.\n* **sdex**");
    }
}
