package org.sdex.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The byte layout of a {@code .sdex} checkpoint, version 1 (integers big-endian):
 * <pre>
 *   8 bytes  magic "SDEXCKPT"
 *   int      format version
 *   int n    then n bytes of UTF-8 JSON metadata
 *   int k    then k arrays, each: name (modified UTF-8, DataOutput.writeUTF), dtype name (same),
 *            int rank, rank longs of shape, the values in C order, little-endian
 *   long     CRC32 of every byte before it
 * </pre>
 * Own format rather than ND4J's serialisation so that it stays readable without ND4J (numpy can
 * read the arrays with a few lines).
 */
final class CheckpointFormat {
    static final byte[] MAGIC = "SDEXCKPT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 16;

    private CheckpointFormat() {}

    /** Writes the whole file to {@code out} (not closed) and returns the CRC written as trailer. */
    static long write(OutputStream out, JsonNode meta, Map<String, INDArray> arrays) throws IOException {
        CRC32 crc = new CRC32();
        // not closed: that would close the caller's stream; flushed below
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out, CHUNK), crc));
        data.write(MAGIC);
        data.writeInt(VERSION);
        byte[] json = JSON.writeValueAsBytes(meta);
        data.writeInt(json.length);
        data.write(json);
        data.writeInt(arrays.size());
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            data.writeUTF(e.getKey());
            data.writeUTF(a.dataType().name());
            data.writeInt(a.rank());
            for (long s : a.shape()) data.writeLong(s);
            writeValues(data, a, buf);
        }
        data.flush();
        long value = crc.getValue();
        // the trailer is not part of what it checks
        DataOutputStream tail = new DataOutputStream(out);
        tail.writeLong(value);
        tail.flush();
        return value;
    }

    private static void writeValues(DataOutputStream out, INDArray a, ByteBuffer buf) throws IOException {
        INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        long n = c.length();
        if (c.dataType() == DataType.FLOAT) {
            float[] v = c.data().asFloat();
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 4) flush(out, buf);
                buf.putFloat(v[i]);
            }
        } else if (c.dataType() == DataType.DOUBLE) {
            double[] v = c.data().asDouble();
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 8) flush(out, buf);
                buf.putDouble(v[i]);
            }
        } else {
            throw new IllegalArgumentException("checkpoints hold FLOAT or DOUBLE arrays, not " + c.dataType());
        }
        flush(out, buf);
    }

    private static void flush(DataOutputStream out, ByteBuffer buf) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** A file's verified content. */
    record Content(JsonNode meta, Map<String, INDArray> arrays) {}

    /**
     * Reads and verifies {@code file}: magic, then the CRC over the whole file, then the version,
     * then the content. Nothing is parsed before the checksum passed, so damage cannot make it
     * allocate nonsense sizes.
     */
    static Content read(Path file) throws CorruptCheckpointException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw corrupt(file, "cannot read it (" + e.getMessage() + ")");
        }
        int header = MAGIC.length + 4 + 4 + 4;
        if (size < header + 8) throw corrupt(file, "only " + size + " bytes, too short to be a checkpoint (truncated?)");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) throw corrupt(file, "not an sdex checkpoint (bad magic number)");
            CRC32 crc = new CRC32();
            crc.update(magic);
            byte[] chunk = new byte[CHUNK];
            long left = size - 8 - MAGIC.length;
            while (left > 0) {
                int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (r < 0) throw new EOFException();
                crc.update(chunk, 0, r);
                left -= r;
            }
            long stored = new DataInputStream(in).readLong();
            if (stored != crc.getValue()) {
                throw corrupt(file, "checksum mismatch (the file is damaged or truncated)");
            }
        } catch (IOException e) {
            throw corrupt(file, "cannot read it (" + e + ")");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), CHUNK))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw corrupt(file, "format version " + version + ", this sdex reads version " + VERSION);
            }
            long body = size - 8;
            byte[] json = new byte[checkedLength(file, in.readInt(), body)];
            in.readFully(json);
            JsonNode meta = JSON.readTree(json);
            int count = checkedLength(file, in.readInt(), body);
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.limit(0);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                DataType type = DataType.valueOf(in.readUTF());
                int rank = checkedLength(file, in.readInt(), 64);
                long[] shape = new long[rank];
                long n = 1;
                for (int k = 0; k < rank; k++) {
                    shape[k] = in.readLong();
                    if (shape[k] < 0) throw corrupt(file, "array '" + name + "' has a negative dimension");
                    n = Math.multiplyExact(n, shape[k]);
                }
                checkedLength(file, n, body);
                arrays.put(name, readValues(in, type, shape, Math.toIntExact(n), buf, file));
            }
            return new Content(meta, arrays);
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw corrupt(file, "unreadable content (" + e + ")");
        }
    }

    private static INDArray readValues(DataInputStream in, DataType type, long[] shape, int n, ByteBuffer buf, Path file)
            throws IOException {
        if (type == DataType.FLOAT) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 4) fill(in, buf, (long) (n - i) * 4);
                v[i] = buf.getFloat();
            }
            buf.clear().limit(0);
            return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c');
        }
        if (type == DataType.DOUBLE) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 8) fill(in, buf, (long) (n - i) * 8);
                v[i] = buf.getDouble();
            }
            buf.clear().limit(0);
            return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c');
        }
        throw corrupt(file, "unsupported array type " + type);
    }

    /** Refills an emptied buffer with at most {@code want} bytes (never past the current array). */
    private static void fill(DataInputStream in, ByteBuffer buf, long want) throws IOException {
        int n = (int) Math.min(buf.capacity(), want);
        buf.clear();
        in.readFully(buf.array(), 0, n);
        buf.limit(n);
    }

    private static int checkedLength(Path file, long n, long max) throws CorruptCheckpointException {
        if (n < 0 || n > max) throw corrupt(file, "implausible length " + n);
        return (int) n;
    }

    static CorruptCheckpointException corrupt(Path file, String what) {
        return new CorruptCheckpointException("checkpoint " + file + " is unusable: " + what);
    }
}
