package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.error.SdexException;
import org.sdex.testing.PythonTorch;

/**
 * The long-lived PyTorch side on a tiny network (one level of 4 channels at 4x4, one channel in):
 * its line protocol, its FLOP count against a count by hand, and what it reports about itself.
 */
class PyTorchServerTest {
    @TempDir static Path dir;
    static PyTorchServer server;

    /** nf 4, chMult [1], one BigGAN block, no attention but the middle one; [1, 4, 4] images. */
    static final NetworkBenchmark.Config TINY = new NetworkBenchmark.Config("tiny", Map.of("nf", 4, "chMult", List.of(1), "numResBlocks", 1,
            "attnResolutions", List.of(), "dropout", 0.0, "resampWithConv", true, "skipRescale", true, "resblockType", "biggan"),
            new long[] {1, 4, 4}, 2);

    @BeforeAll
    static void start() throws Exception {
        PythonTorch.assume("torch");
        Path script = PythonTorch.resource("torch_ncsnpp.py", dir, NetworkBenchmark.class);
        Path config = dir.resolve("tiny.json");
        new ObjectMapper().writeValue(config.toFile(), TINY.torchConfig());
        Map<String, String> parent = new HashMap<>(System.getenv());
        parent.putAll(PyTorchEnvironmentTest.LAUNCHER); // as if started by the launcher
        server = new PyTorchServer(PythonTorch.PYTHON, script, config, 1, parent);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    /**
     * Per example, 2 x multiply-adds, at 4x4 = 16 pixels. Forward: embedding Linear 4->16 (128) and
     * 16->16 (512); input conv 3x3 1->4 (2*16*4*9 = 1152); a block 4->4 = two 3x3 convs (2 x 4608) and
     * its Dense 16->4 (128) = 9344, three of them (down, middle twice); middle attention: four NIN 4->4
     * (4 x 512) and the two 16x16x4 products (2 x 2048) = 6144; two up blocks 8->4: 3x3 8->4 (9216),
     * Dense (128), 3x3 4->4 (4608), 1x1 shortcut 8->4 (1024) = 14976 each; output conv 3x3 4->1 (1152).
     */
    static final long FORWARD = 128 + 512 + 1152 + 3 * 9344 + 6144 + 2 * 14976 + 1152;
    /** Backward: both gradients of every layer but the first conv's and the first Linear's (their inputs need none). */
    static final long TRAIN_STEP = 3 * FORWARD - 1152 - 128;
    /**
     * Input VJP: forward, then input gradients only: every conv's (59,648 in all), the NINs' (2048) and
     * both operands of both attention products (8192); nothing flows back into the embedding's layers.
     */
    static final long INPUT_VJP = FORWARD + (1152 + 3 * 9216 + 2 * (9216 + 4608 + 1024) + 1152) + 2048 + 8192;

    @Test
    void countsTheFlopsOfEachPassAsByHand() throws Exception {
        for (int batch : new int[] {1, 3}) {
            JsonNode f = server.request(Map.of("cmd", "flops", "batch", batch));
            assertThat(f.get("forward").asLong()).as("forward").isEqualTo(FORWARD);
            assertThat(f.get("trainStep").asLong()).as("train step").isEqualTo(TRAIN_STEP);
            assertThat(f.get("inputVjp").asLong()).as("input VJP").isEqualTo(INPUT_VJP);
        }
    }

    @Test
    void timesEachWorkloadOnRequest() throws Exception {
        assertThat(server.parameters()).isPositive();
        for (String what : List.of("forward", "trainStep", "inputVjp")) {
            assertThat(server.millis(Map.of("cmd", "time", "what", what, "batch", 2))).as(what).isPositive();
        }
        assertThat(server.millis(UserWorkload.FASHION_SUBVP.torchTraining(2))).isPositive();
        Map<String, Object> sampling = new LinkedHashMap<>(UserWorkload.FASHION_SUBVP.torchSampling(3));
        sampling.put("batch", 2);
        assertThat(server.millis(sampling)).isPositive();
        assertThat(server.request(Map.of("cmd", "peak", "n", 64)).get("gflops").asDouble()).isPositive();
    }

    @Test
    void aFailedRequestIsOneLineAndTheServerGoesOn() throws Exception {
        assertThatThrownBy(() -> server.request(Map.of("cmd", "time", "what", "nothing", "batch", 2)))
                .isInstanceOf(SdexException.class).hasMessage("PyTorch side, request 'time': ValueError: nothing to time called nothing");
        assertThat(server.request(Map.of("cmd", "rss")).get("peakRssMB").asDouble()).isPositive();
    }

    @Test
    void reportsWhatItRunsWithAndNoneOfTheLaunchersAllocatorSettings() throws Exception {
        JsonNode info = server.request(Map.of("cmd", "info"));
        assertThat(info.get("torch").asText()).isNotBlank();
        assertThat(info.get("onednn").asText()).isNotBlank();
        assertThat(info.get("blas").asText()).isNotBlank();
        assertThat(info.get("openmp").asText()).isNotBlank();
        assertThat(info.get("threads").asInt()).isEqualTo(1);
        assertThat(info.get("ompNumThreads").asText()).isEqualTo("1");
        assertThat(info.get("allocatorEnv").size()).as("MALLOC_* and LD_PRELOAD it saw").isZero();
    }

    @Test
    void aMissingPythonIsOneClearLine() {
        assertThatThrownBy(() -> new PyTorchServer("/nowhere/python3", dir.resolve("torch_ncsnpp.py"), dir.resolve("tiny.json"), 1, System.getenv()))
                .isInstanceOf(SdexException.class).hasMessageStartingWith("cannot start '/nowhere/python3'").hasMessageContaining("--python");
    }
}
