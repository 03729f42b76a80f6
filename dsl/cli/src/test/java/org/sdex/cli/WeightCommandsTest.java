package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.core.interop.HostTensor;
import org.sdex.core.interop.Safetensors;
import org.sdex.core.run.Npy;
import org.sdex.spi.random.Rng;
import org.sdex.testing.PythonTorch;

/** {@code sdex convert} and {@code sdex eval} end to end, on files torch writes. */
class WeightCommandsTest {
    @TempDir Path dir;

    private Sdex.Result sdex(String... args) { return Sdex.run(dir, Map.of(), args); }

    @Test
    void convertsAScoreSdeCheckpointsEmaToSafetensorsAndBackToAStateDictTorchLoads() throws Exception {
        PythonTorch.assume("torch");
        Path ckpt = dir.resolve("checkpoint_3.pth");
        PythonTorch.run(dir, "torch_files.py", "synthetic", ckpt.toString());
        Sdex.Result r = sdex("convert", ckpt.toString(), dir.resolve("ema.safetensors").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("checkpoint_3.pth: 6 tensors");
        Map<String, HostTensor> st = Safetensors.read(dir.resolve("ema.safetensors")).tensors();
        // DataParallel's prefix is gone; the EMA replaced the trainable tensors, by parameter order
        assertThat(st.keySet()).containsExactly("sigmas", "all_modules.0.W", "all_modules.1.weight", "all_modules.1.bias",
                "all_modules.2.weight", "all_modules.2.bias");
        JsonNode ema = new ObjectMapper().readTree(dir.resolve("checkpoint_3.pth.json").toFile());
        for (var it = ema.fields(); it.hasNext(); ) {
            var e = it.next();
            float[] v = st.get(e.getKey()).toFloats();
            for (int i = 0; i < v.length; i++) assertThat((double) v[i]).isEqualTo(e.getValue().get(1).get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
        // to a state dict that torch.load(weights_only=True) reads
        assertThat(sdex("convert", dir.resolve("ema.safetensors").toString(), dir.resolve("ema.pth").toString()).code()).isZero();
        PythonTorch.run(dir, "torch_files.py", "load", dir.resolve("ema.pth").toString(), dir.resolve("loaded.json").toString());
        assertThat(Files.readString(dir.resolve("loaded.json"))).contains("all_modules.2.weight");
        // the raw weights on request
        assertThat(sdex("convert", ckpt.toString(), dir.resolve("raw.safetensors").toString(), "--weights", "model").code()).isZero();
        assertThat(Safetensors.read(dir.resolve("raw.safetensors")).tensors().get("all_modules.1.bias"))
                .isNotEqualTo(st.get("all_modules.1.bias"));
    }

    @Test
    void aHostileOrCorruptFileIsOneLineAndNothingIsWritten() throws Exception {
        PythonTorch.assume("torch");
        Path marker = dir.resolve("ran");
        PythonTorch.run(dir, "torch_files.py", "hostile", dir.resolve("h").toString(), marker.toString());
        Sdex.Result r = sdex("convert", dir.resolve("h/reduce_system.pth").toString(), dir.resolve("out.safetensors").toString());
        assertThat(r.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(r.err().strip()).startsWith("error: reduce_system.pth: refers to").doesNotContain("\n").doesNotContain("Exception");
        Files.write(dir.resolve("cut.pth"), new byte[] {'P', 'K', 3, 4, 0, 0});
        Sdex.Result cut = sdex("convert", dir.resolve("cut.pth").toString(), dir.resolve("out.safetensors").toString());
        assertThat(cut.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(cut.err()).contains("cut.pth: corrupt or truncated zip archive");
        assertThat(marker).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("out"));
        }
        assertThat(sdex("convert", dir.resolve("cut.pth").toString(), "b.txt").err()).contains("OUT must end in .safetensors, .pth or .pt");
        assertThat(sdex("convert", dir.resolve("cut.pth").toString(), dir.resolve("o.pth").toString(), "--weights", "best").err())
                .contains("weights 'best': accepted values are ema, model");
    }

    @Test
    void evalReportsFidAndKidWithTheirSampleSizeAndARealVsRealBaseline() throws Exception {
        PythonTorch.assume("torch");
        Npy.write(new Rng(1).uniform(DataType.FLOAT, 2, 1, 28, 28), dir.resolve("probe.npy"));
        PythonTorch.run(dir, "fid_inception.py", "inception.pth", "probe.npy", "probe_features.npy");
        Npy.write(new Rng(2).uniform(DataType.FLOAT, 6, 1, 28, 28), dir.resolve("samples.npy"));
        Npy.write(new Rng(3).uniform(DataType.FLOAT, 12, 1, 28, 28), dir.resolve("reference.npy"));
        Sdex.Result r = sdex("eval", dir.resolve("samples.npy").toString(), dir.resolve("reference.npy").toString(),
                "--inception", dir.resolve("inception.pth").toString(), "--kid-subsets", "5", "--batch", "6");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\\| samples vs reference \\| 6 \\| [0-9.]+ \\| -?[0-9.]+ ± [0-9.]+ \\|")
                .containsPattern("\\| reference vs reference \\(disjoint halves, same n\\) \\| 6 \\|");
        Sdex.Result range = sdex("eval", dir.resolve("samples.npy").toString(), dir.resolve("reference.npy").toString(),
                "--inception", dir.resolve("inception.pth").toString(), "--range", "-1,0");
        assertThat(range.code()).isEqualTo(ExitCode.USER_ERROR);
        assertThat(range.err()).contains("samples.npy: values lie in").contains("outside --range -1.0,0.0");
        Sdex.Result none = sdex("eval", dir.resolve("samples.npy").toString(), dir.resolve("reference.npy").toString(),
                "--inception", dir.resolve("missing.pth").toString());
        assertThat(none.err()).contains("missing.pth: no such file; FID needs the Inception weights pt_inception-2015-12-05-6726825d.pth");
    }
}
