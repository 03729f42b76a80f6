package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sdex.core.plugin.PluginLoader;

/**
 * The benchmark compares the same computation: sdex's ddpmpp and the PyTorch network of
 * {@code sdex bench network} have the same parameter count and, on sdex's weights exported
 * through .npy files, the same outputs and the same input VJPs (PyTorch's by autograd; sdex's
 * through SameDiff with its memory plan, and replayed) to float32 tolerance. Needs a python3 with torch (Debian's
 * python3-torch, which .ci/run installs); skipped where there is none.
 */
class TorchEquivalenceTest {
    static final String PYTHON = "/usr/bin/python3";
    static NetworkBenchmark bench;

    @BeforeAll
    static void needsTorch() throws Exception {
        boolean torch = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import torch").start().waitFor() == 0;
        Assumptions.assumeTrue(torch, "no python3 with torch at " + PYTHON + " (apt-get install python3-torch)");
        bench = new NetworkBenchmark(PluginLoader.load(List.of()), PYTHON, NetworkBenchmark.Plan.CHECKS_ONLY, line -> {});
    }

    @AfterAll
    static void removeScratch() throws Exception {
        if (bench != null) bench.close();
    }

    static NetworkBenchmark.Config small(String name, String resblock, int res, Object... extra) {
        Map<String, Object> p = new java.util.LinkedHashMap<>(Map.of("nf", 16, "chMult", List.of(1, 2), "numResBlocks", 1,
                "attnResolutions", List.of(res / 2), "dropout", 0.0, "resampWithConv", true, "skipRescale", true,
                "resblockType", resblock));
        for (int i = 0; i < extra.length; i += 2) p.put((String) extra[i], extra[i + 1]);
        return new NetworkBenchmark.Config(name, p, new long[] {3, res, res}, 2);
    }

    @Test
    void bigganBlocksComputeTheSameFunction() throws Exception {
        assertAgree(bench.sameFunction(small("biggan", "biggan", 16)));
    }

    @Test
    void ddpmBlocksWithoutSkipRescaleComputeTheSameFunction() throws Exception {
        assertAgree(bench.sameFunction(small("ddpm", "ddpm", 16, "skipRescale", false, "numResBlocks", 2)));
    }

    @Test
    void theBenchmarkConfigurationsComputeTheSameFunction() throws Exception {
        assertAgree(bench.sameFunction(NetworkBenchmark.CONFIGS.get("cpu")));
    }

    private static void assertAgree(NetworkBenchmark.Agreement a) {
        assertThat(a.output()).as("outputs").isLessThan(1e-4);
        assertThat(a.inputVjp()).as("input VJPs").isLessThan(1e-4);
    }
}
