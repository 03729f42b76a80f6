package org.sdex.core.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Scalars in TensorBoard's event-file format, so {@code tensorboard --logdir runs/} plots sdex runs
 * next to the reference's. An event file is a TFRecord stream (length, masked CRC-32C of the length,
 * payload, masked CRC-32C of the payload) of {@code tensorflow.Event} protocol buffers; the first
 * record carries the file version, each later one a wall time, a step and one scalar summary value.
 * The protobuf encoding is written by hand: only these few fields are needed, and a protobuf or
 * TensorFlow dependency would be far larger than this class.
 */
public final class TensorBoardLog implements AutoCloseable {
    private final OutputStream out;

    /** Opens a new event file in {@code dir} (created if needed), named as TensorFlow names them. */
    public TensorBoardLog(Path dir) {
        try {
            Files.createDirectories(dir);
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            Path file = dir.resolve("events.out.tfevents." + System.currentTimeMillis() / 1000 + "." + host + ".sdex");
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            record(event(wallTime(), 0, fileVersion()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For a resumed run: drops every event after {@code step} from the event files in {@code dir},
     * as metrics.jsonl is trimmed, so the steps between the checkpoint and the crash are not
     * plotted twice. A torn last record (a killed process) is dropped too.
     */
    public static void truncateAfter(Path dir, int step) {
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).toList()) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
                ByteArrayOutputStream keep = new ByteArrayOutputStream();
                while (b.remaining() >= 12) {
                    int start = b.position();
                    long length = b.getLong();
                    if (length < 0 || length > b.remaining() - 8) break;
                    b.getInt();
                    byte[] data = new byte[(int) length];
                    b.get(data);
                    b.getInt();
                    if (stepOf(data) > step) continue;
                    keep.write(b.array(), start, b.position() - start);
                }
                RunDirectory.writeAtomically(file, tmp -> Files.write(tmp, keep.toByteArray()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Event.step (field 2, a varint; absent means 0), skipping the other fields by wire type. */
    static long stepOf(byte[] event) {
        ByteBuffer b = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            long key = readVarint(b);
            int field = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> {
                    long v = readVarint(b);
                    if (field == 2) return v;
                }
                case 1 -> b.position(b.position() + 8);
                case 2 -> b.position(b.position() + (int) readVarint(b));
                case 5 -> b.position(b.position() + 4);
                default -> { return 0; }
            }
        }
        return 0;
    }

    private static long readVarint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; b.hasRemaining() && shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) break;
        }
        return v;
    }

    /** One scalar, e.g. {@code scalar("train/loss", 120, 0.43)}. */
    public synchronized void scalar(String tag, long step, double value) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, 1, tag);                        // Summary.Value.tag = 1
        tag(v, 2, 5);                             // Summary.Value.simple_value = 2 (float, fixed32)
        v.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) value).array());
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        bytes(summary, 1, v.toByteArray());       // Summary.value = 1 (repeated)
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        bytes(field, 5, summary.toByteArray());   // Event.summary = 5
        try {
            record(event(wallTime(), step, field.toByteArray()));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double wallTime() { return System.currentTimeMillis() / 1000.0; }

    private static byte[] fileVersion() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        string(b, 3, "brain.Event:2");            // Event.file_version = 3
        return b.toByteArray();
    }

    /** Event { double wall_time = 1; int64 step = 2; oneof what { ... } } */
    private static byte[] event(double wallTime, long step, byte[] what) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        tag(e, 1, 1);
        e.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(wallTime).array());
        if (step != 0) {
            tag(e, 2, 0);
            varint(e, step);
        }
        e.writeBytes(what);
        return e.toByteArray();
    }

    private void record(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(le32(maskedCrc(length)));
        out.write(data);
        out.write(le32(maskedCrc(data)));
    }

    /** TFRecord's CRC: CRC-32C, rotated right by 15 bits plus a constant. */
    static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    private static byte[] le32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

    private static void tag(ByteArrayOutputStream b, int field, int wireType) { varint(b, ((long) field << 3) | wireType); }

    private static void varint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }

    private static void bytes(ByteArrayOutputStream b, int field, byte[] value) {
        tag(b, field, 2);
        varint(b, value.length);
        b.writeBytes(value);
    }

    private static void string(ByteArrayOutputStream b, int field, String value) {
        bytes(b, field, value.getBytes(StandardCharsets.UTF_8));
    }
}
