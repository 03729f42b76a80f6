package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.interop.HostTensor;
import org.sdex.core.interop.NetworkWeights;
import org.sdex.core.interop.ReferenceWeights;
import org.sdex.core.interop.Safetensors;
import org.sdex.core.interop.WeightFileException;
import org.sdex.core.plugin.PluginLoader;
import org.sdex.core.run.Npy;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.testing.PythonTorch;

/**
 * A checkpoint written by torch in score_sde_pytorch's layout (DataParallel's {@code module.} names,
 * the EMA as a list in parameter order, Adam's state, the step) loads into sdex's ddpmpp, whose
 * outputs then equal PyTorch's for the raw and for the EMA weights; sdex's exports load back.
 */
class ReferenceCheckpointTest {
    @TempDir static Path dir;
    static NetworkBenchmark bench;
    static NetworkBenchmark.Config config;

    @BeforeAll
    static void writeCheckpoint() throws Exception {
        PythonTorch.assume("torch");
        bench = new NetworkBenchmark(PluginLoader.load(List.of()), PythonTorch.PYTHON, NetworkBenchmark.Plan.CHECKS_ONLY, line -> {});
        config = new NetworkBenchmark.Config("small", Map.of("nf", 16, "chMult", List.of(1, 2), "numResBlocks", 1,
                "attnResolutions", List.of(8), "dropout", 0.0, "resampWithConv", true, "skipRescale", true,
                "resblockType", "biggan"), new long[] {3, 16, 16}, 2);
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config.torchConfig());
        PythonTorch.resource("torch_ncsnpp.py", dir, NetworkBenchmark.class);
        PythonTorch.run(dir, "torch_files.py", "reference", dir.toString(), dir.resolve("config.json").toString(), dir.toString());
    }

    @AfterAll
    static void close() throws Exception {
        if (bench != null) bench.close();
    }

    @Test
    void emaAndRawWeightsGivePyTorchsOutputs() throws Exception {
        for (ReferenceWeights.Choice choice : ReferenceWeights.Choice.values()) {
            try (ScoreNetwork net = bench.network(config, 1.0)) {
                NetworkWeights.load(net, dir.resolve("checkpoint_1.pth"), choice);
                INDArray mine = net.predictNoise(Npy.read(dir.resolve("x.npy")), Npy.read(dir.resolve("labels.npy")));
                INDArray theirs = Npy.read(dir.resolve(choice == ReferenceWeights.Choice.EMA ? "out_ema.npy" : "out_model.npy"));
                assertThat(relativeDifference(mine, theirs)).as(choice.name()).isLessThan(1e-4);
            }
        }
    }

    @Test
    void exportsLoadBackToTheSameFunction() throws Exception {
        try (ScoreNetwork net = bench.network(config, 1.0)) {
            NetworkWeights.load(net, dir.resolve("checkpoint_1.pth"), ReferenceWeights.Choice.EMA);
            INDArray x = Npy.read(dir.resolve("x.npy"));
            INDArray labels = Npy.read(dir.resolve("labels.npy"));
            INDArray before = net.predictNoise(x, labels).dup();
            Path pth = dir.resolve("exported.pth");
            Path st = dir.resolve("exported.safetensors");
            NetworkWeights.save(net, pth);
            NetworkWeights.save(net, st);
            // the exported state dict has the reference's names and layouts: torch loads it with weights_only
            PythonTorch.run(dir, "torch_files.py", "load", pth.toString(), dir.resolve("exported.json").toString());
            var loaded = new ObjectMapper().readTree(dir.resolve("exported.json").toFile());
            assertThat(loaded.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(net.weightNames());
            for (Path f : List.of(pth, st)) {
                try (ScoreNetwork other = bench.network(config, 1.0)) {
                    NetworkWeights.load(other, f, ReferenceWeights.Choice.MODEL);
                    assertThat(relativeDifference(other.predictNoise(x, labels), before)).as(f.toString()).isZero();
                }
            }
        }
    }

    @Test
    void aCheckpointOfAnotherModelNamesTheFirstMisfit() throws Exception {
        NetworkBenchmark.Config wider = new NetworkBenchmark.Config("wider", new LinkedHashMap<>(config.params()), config.shape(), 2);
        wider.params().put("nf", 32);
        try (ScoreNetwork net = bench.network(wider, 1.0)) {
            assertThatThrownBy(() -> NetworkWeights.load(net, dir.resolve("checkpoint_1.pth"), ReferenceWeights.Choice.MODEL))
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageMatching("checkpoint_1.pth: weight '.*' has shape \\[.*\\] in the file, \\[.*\\] in the model");
        }
        Path missing = dir.resolve("partial.safetensors");
        Safetensors.write(missing, Map.of("all_modules.0.W", HostTensor.ofFloats(new float[] {1}, 1)), Map.of());
        try (ScoreNetwork net = bench.network(config, 1.0)) {
            assertThatThrownBy(() -> NetworkWeights.load(net, missing, ReferenceWeights.Choice.MODEL))
                    .hasMessageMatching("partial.safetensors: has no tensor for the model's weight '.*' \\(1 tensors in the file\\); .*");
        }
        assertThat(Files.exists(dir.resolve("checkpoint_1.pth"))).isTrue();
    }

    private static double relativeDifference(INDArray mine, INDArray theirs) {
        INDArray a = mine.castTo(DataType.DOUBLE);
        double scale = Math.max(a.amaxNumber().doubleValue(), 1e-30);
        return a.sub(theirs.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }
}
