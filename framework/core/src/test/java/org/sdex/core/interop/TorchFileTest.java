package org.sdex.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.testing.PythonTorch;

/**
 * PyTorch files written by torch itself are read to the bit (dtypes, views with offsets and strides,
 * scalars, empty tensors), files sdex writes load in {@code torch.load(..., weights_only=True)}, and
 * pickles that would run code in Python are refused by name with nothing run.
 */
class TorchFileTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path dir;

    @BeforeAll
    static void torch() throws Exception {
        PythonTorch.assume("torch");
    }

    @Test
    void readsWhatTorchSaves() throws Exception {
        PythonTorch.run(dir, "torch_files.py", "tensors", dir.resolve("t.pth").toString());
        @SuppressWarnings("unchecked")
        Map<String, HostTensor> read = (Map<String, HostTensor>) TorchFile.read(dir.resolve("t.pth"));
        JsonNode expected = JSON.readTree(dir.resolve("t.pth.json").toFile());
        assertThat(read.keySet()).containsExactlyElementsOf(names(expected));
        for (String k : read.keySet()) assertSame(k, read.get(k), expected.get(k));
        assertThat(read.get("f16").dtype()).isEqualTo(Dtype.F16);
        assertThat(read.get("bf16").dtype()).isEqualTo(Dtype.BF16);
        assertThat(read.get("i64").dtype()).isEqualTo(Dtype.I64);
    }

    @Test
    void torchLoadsWhatSdexWritesWithWeightsOnly() throws Exception {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("all_modules.0.weight", HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        m.put("all_modules.0.bias", HostTensor.ofFloats(new float[] {-1.5f, 1e-7f}, 2));
        m.put("big", HostTensor.ofFloats(new float[70_000], 70_000)); // an int32 size past BININT1/2
        Path f = dir.resolve("sdex.pth");
        TorchFile.write(f, m);
        PythonTorch.run(dir, "torch_files.py", "load", f.toString(), dir.resolve("loaded.json").toString());
        JsonNode loaded = JSON.readTree(dir.resolve("loaded.json").toFile());
        assertThat(names(loaded)).containsExactly("all_modules.0.weight", "all_modules.0.bias", "big");
        for (String k : m.keySet()) assertSame(k, m.get(k), loaded.get(k));
        // and back: sdex reads its own file to the same tensors
        assertThat(TorchFile.read(f)).isEqualTo(m);
    }

    @Test
    void refusesPicklesThatWouldRunCode() throws Exception {
        Path marker = dir.resolve("ran");
        PythonTorch.run(dir, "torch_files.py", "hostile", dir.resolve("hostile").toString(), marker.toString());
        assertThatThrownBy(() -> TorchFile.read(dir.resolve("hostile/reduce_system.pth")))
                .isInstanceOf(WeightFileException.class)
                .hasMessageMatching("reduce_system.pth: refers to (posix|os)\\.system; sdex only rebuilds tensors.*nothing was run\\)");
        assertThatThrownBy(() -> TorchFile.read(dir.resolve("hostile/reduce_eval.pth")))
                .hasMessageMatching(".*refers to (builtins|__builtin__)\\.eval;.*");
        assertThatThrownBy(() -> TorchFile.read(dir.resolve("hostile/numpy_array.pth")))
                .hasMessageContaining("refers to numpy.");
        // a 4-byte storage viewed as 2**31 values: refused in one line, not an 8 GB allocation
        assertThatThrownBy(() -> TorchFile.read(dir.resolve("hostile/expanded.pth"))).isInstanceOf(WeightFileException.class)
                .hasMessage("expanded.pth: a tensor of 2147483648 elements is larger than sdex reads (2 GB per tensor)");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesHandWrittenPayloads() throws Exception {
        // GLOBAL os.system, MARK, 'touch ...', TUPLE, REDUCE, STOP: Python's pickle.loads runs the shell command
        Path marker = dir.resolve("pwned");
        byte[] payload = ("cos\nsystem\n(X" + le("touch " + marker) + "tR.").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RestrictedUnpickler.load(payload, null, "evil.pkl"))
                .isInstanceOf(WeightFileException.class).hasMessageContaining("evil.pkl: refers to os.system");
        // an allowed global called on the wrong things, and a REDUCE of a non-global
        byte[] reduceString = "X\u0001\u0000\u0000\u0000a)R.".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RestrictedUnpickler.load(reduceString, null, "f")).hasMessageContaining("calls a String");
        byte[] build = "]}b.".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RestrictedUnpickler.load(build, null, "f")).hasMessageContaining("sets the state of a list");
        byte[] unknownOp = "\u0080\u0002\u00ff.".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RestrictedUnpickler.load(unknownOp, null, "f")).hasMessageContaining("opcode 0xff");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesCorruptTruncatedAndLegacyFiles() throws Exception {
        PythonTorch.run(dir, "torch_files.py", "tensors", dir.resolve("good.pth").toString());
        byte[] good = Files.readAllBytes(dir.resolve("good.pth"));
        Path truncated = Files.write(dir.resolve("truncated.pth"), java.util.Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> TorchFile.read(truncated)).isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith("truncated.pth: corrupt or truncated zip archive");
        Path legacy = Files.write(dir.resolve("legacy.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertThatThrownBy(() -> TorchFile.read(legacy)).hasMessageContaining("legacy (pre-1.6) format").hasMessageContaining("re-save");
        Path text = Files.writeString(dir.resolve("notes.pth"), "hello");
        assertThatThrownBy(() -> TorchFile.read(text)).hasMessage("notes.pth: not a PyTorch file (no zip archive)");
        // a storage shorter than its header says: flip the recorded size of one storage by rewriting the archive
        Path shortStorage = dir.resolve("short.pth");
        try (var in = new java.util.zip.ZipFile(dir.resolve("good.pth").toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(shortStorage))) {
            for (var es = in.entries(); es.hasMoreElements(); ) {
                var e = es.nextElement();
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("data/0")) b = java.util.Arrays.copyOf(b, b.length - 4);
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> TorchFile.read(shortStorage)).hasMessageContaining("storage '0' has 56 bytes, its header says 60");
    }

    /** A BINUNICODE argument: 4-byte little-endian length, then the bytes. */
    private static String le(String s) {
        int n = s.length();
        return "" + (char) (n & 0xff) + (char) ((n >> 8) & 0xff) + (char) 0 + (char) 0 + s;
    }

    static java.util.List<String> names(JsonNode o) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    /** Same shape and the same values (compared as float64, which holds every value of these types exactly). */
    static void assertSame(String name, HostTensor t, JsonNode expected) {
        JsonNode shape = expected.get(0);
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asLong();
        assertThat(t.shape()).as(name + " shape").containsExactly(s);
        float[] v = t.toFloats();
        JsonNode values = expected.get(1);
        assertThat(v.length).as(name + " size").isEqualTo(values.size());
        for (int i = 0; i < v.length; i++) {
            double want = values.get(i).asDouble();
            // float64 values go through float32 here; everything else is exact
            double tol = t.dtype() == Dtype.F64 ? Math.ulp((float) want) : 0;
            assertThat((double) v[i]).as(name + "[" + i + "]").isCloseTo(want, org.assertj.core.data.Offset.offset(tol));
        }
    }
}
