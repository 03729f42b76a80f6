package org.sdex.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.testing.PythonTorch;

/** Safetensors files written from the format's description are read exactly; malformed headers are refused in one line. */
class SafetensorsTest {
    @TempDir Path dir;

    @Test
    void roundTripKeepsNamesOrderTypesAndValues() throws Exception {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("z.weight", HostTensor.ofFloats(new float[] {1, -2, 3.5f, 4, 5, 6}, 3, 2));
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-9).flip();
        m.put("a.count", new HostTensor(Dtype.I64, new long[] {2}, longs));
        m.put("scalar", HostTensor.ofFloats(new float[] {0.25f}));
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, m, Map.of("producer", "sdex"));
        Safetensors.Content c = Safetensors.read(f);
        assertThat(c.tensors()).containsExactlyEntriesOf(m);
        assertThat(c.metadata()).containsEntry("producer", "sdex");
        // the data section starts 8-byte aligned
        long header = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(header % 8).isZero();
    }

    @Test
    void readsAndWritesWhatTheFormatDescribes() throws Exception {
        PythonTorch.assume("torch");
        Path f = dir.resolve("py.safetensors");
        PythonTorch.run(dir, "torch_files.py", "safetensors", f.toString());
        JsonNode expected = TorchFileTest.JSON.readTree(dir.resolve("py.safetensors.json").toFile());
        Safetensors.Content c = Safetensors.read(f);
        assertThat(c.tensors().keySet()).containsExactly("a", "b", "c");
        for (String k : c.tensors().keySet()) TorchFileTest.assertSame(k, c.tensors().get(k), expected.get(k));
        // what sdex writes parses by the format's description
        Path mine = dir.resolve("mine.safetensors");
        Safetensors.write(mine, c.tensors(), Map.of("format", "pt"));
        PythonTorch.run(dir, "torch_files.py", "parse_safetensors", mine.toString(), dir.resolve("parsed.json").toString());
        JsonNode parsed = TorchFileTest.JSON.readTree(dir.resolve("parsed.json").toFile());
        assertThat(parsed.get("__metadata__").get("format").asText()).isEqualTo("pt");
        assertThat(parsed.get("a").get(0).asText()).isEqualTo("F32");
        assertThat(parsed.get("c").get(2).toString()).isEqualTo("[0.0,1.0,2.0,3.0]");
    }

    @Test
    void refusesOverlappingOutOfRangeAndMalformedHeaders() throws Exception {
        String two = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertThatThrownBy(() -> Safetensors.read(file("overlap", "{" + two + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)))
                .isInstanceOf(WeightFileException.class).hasMessage("overlap: tensor 'b' overlaps the tensor before it");
        assertThatThrownBy(() -> Safetensors.read(file("outside", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)))
                .hasMessage("outside: tensor 'a' has data_offsets [0, 16] outside the data section of 8 bytes");
        assertThatThrownBy(() -> Safetensors.read(file("size", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)))
                .hasMessage("size: tensor 'a' spans 8 bytes, its dtype and shape need 12");
        assertThatThrownBy(() -> Safetensors.read(file("gap", "{" + two + "}", 12)))
                .hasMessage("gap: has 4 bytes after its last tensor");
        assertThatThrownBy(() -> Safetensors.read(file("dtype", "{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)))
                .hasMessageContaining("has dtype 'C64'; sdex reads F64, F32");
        assertThatThrownBy(() -> Safetensors.read(file("json", "{not json", 8))).hasMessage("json: has a header that is not JSON");
        Path huge = dir.resolve("huge");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertThatThrownBy(() -> Safetensors.read(huge)).hasMessageStartingWith("huge: has a header length of 1099511627776 bytes");
        Path shapeOverflow = file("overflow", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(shapeOverflow)).hasMessage("overflow: tensor 'a' has a shape too large to hold");
    }

    private Path file(String name, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(dir.resolve(name), b.array());
    }
}
