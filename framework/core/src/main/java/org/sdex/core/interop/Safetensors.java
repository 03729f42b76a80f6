package org.sdex.core.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range ({@code data_offsets}, relative to the data section), then
 * the data. Reading checks every range against its dtype and shape, and that the ranges tile the
 * data section without gaps or overlaps (as the reference implementation requires).
 */
public final class Safetensors {
    /** Largest header accepted (the reference's limit). */
    static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {}

    /** The file's tensors in header order, and its {@code __metadata__} strings (empty when absent). */
    public record Content(Map<String, HostTensor> tensors, Map<String, String> metadata) {}

    private record Range(String name, Dtype dtype, long[] shape, long begin, long end) {}

    public static Content read(Path file) {
        String name = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(name, "is shorter than a safetensors header");
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.flip().getLong();
            if (n < 2 || n > MAX_HEADER || 8 + n > size) throw bad(name, "has a header length of " + n + " bytes in a file of " + size);
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw bad(name, "has a header that is not JSON");
            }
            if (root == null || !root.isObject()) throw bad(name, "has a header that is not a JSON object");
            long dataSize = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Range> ranges = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    if (!e.getValue().isObject()) throw bad(name, "has __metadata__ that is not an object");
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                ranges.add(range(name, e.getKey(), e.getValue(), dataSize));
            }
            List<Range> byOffset = new ArrayList<>(ranges);
            byOffset.sort(Comparator.comparingLong(Range::begin));
            long at = 0;
            for (Range r : byOffset) {
                if (r.begin() < at) throw bad(name, "tensor '" + r.name() + "' overlaps the tensor before it");
                if (r.begin() > at) throw bad(name, "has unused bytes before tensor '" + r.name() + "'");
                at = r.end();
            }
            if (at != dataSize) throw bad(name, "has " + (dataSize - at) + " bytes after its last tensor");
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            for (Range r : ranges) {
                ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(r.end() - r.begin()));
                readFully(ch, b, 8 + n + r.begin());
                tensors.put(r.name(), new HostTensor(r.dtype(), r.shape(), b.flip()));
            }
            return new Content(tensors, metadata);
        } catch (IOException e) {
            throw bad(name, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Range range(String file, String tensor, JsonNode v, long dataSize) {
        String where = "tensor '" + tensor + "'";
        if (!v.isObject()) throw bad(file, where + " is not described by an object");
        Dtype dtype = Dtype.ofSafetensors(v.path("dtype").asText(""));
        if (dtype == null) {
            throw bad(file, where + " has dtype '" + v.path("dtype").asText("") + "'; sdex reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
        }
        JsonNode s = v.path("shape");
        JsonNode o = v.path("data_offsets");
        if (!s.isArray() || !o.isArray() || o.size() != 2) throw bad(file, where + " lacks a shape or data_offsets");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!s.get(i).canConvertToLong() || s.get(i).asLong() < 0) throw bad(file, where + " has a shape that is not of sizes");
            shape[i] = s.get(i).asLong();
        }
        if (!o.get(0).canConvertToLong() || !o.get(1).canConvertToLong()) throw bad(file, where + " has data_offsets that are not integers");
        long begin = o.get(0).asLong();
        long end = o.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(file, where + " has data_offsets [" + begin + ", " + end + "] outside the data section of " + dataSize + " bytes");
        }
        long want;
        try {
            want = Math.multiplyExact(HostTensor.numel(shape), dtype.size());
        } catch (ArithmeticException e) {
            throw bad(file, where + " has a shape too large to hold");
        }
        if (end - begin != want) throw bad(file, where + " spans " + (end - begin) + " bytes, its dtype and shape need " + want);
        return new Range(tensor, dtype, shape, begin, end);
    }

    /** Writes the tensors (in map order) and metadata, atomically. */
    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long at = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            ObjectNode d = header.putObject(e.getKey());
            d.put("dtype", t.dtype().name());
            ArrayNode shape = d.putArray("shape");
            for (long s : t.shape()) shape.add(s);
            long bytes = t.data().remaining();
            d.putArray("data_offsets").add(at).add(at + bytes);
            at += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the data section starts 8-byte aligned
        byte[] h = new byte[padded];
        java.util.Arrays.fill(h, (byte) ' ');
        System.arraycopy(json, 0, h, 0, json.length);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(h);
            for (HostTensor t : tensors.values()) {
                ByteBuffer d = t.data().duplicate();
                byte[] b = new byte[d.remaining()];
                d.get(b);
                out.write(b);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }

    private static WeightFileException bad(String file, String what) {
        return new WeightFileException(file + ": " + what);
    }
}
