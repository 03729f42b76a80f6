package org.sdex.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event file is read back with a TFRecord/protobuf reader written from the formats' specifications. */
class TensorBoardLogTest {
    @TempDir Path dir;

    @Test
    void crc32cOfTheStandardCheckStringIsTheCatalogueValue() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void recordsAreFramedAndCarryStepTagAndValue() throws Exception {
        try (TensorBoardLog tb = new TensorBoardLog(dir)) {
            tb.scalar("train/loss", 10, 0.5);
            tb.scalar("eval/loss", 300, 1.25);
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        assertThat(file.getFileName().toString()).startsWith("events.out.tfevents.");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (b.hasRemaining()) {
            long length = b.getLong();
            byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
            assertThat(b.getInt()).isEqualTo(masked(len));
            byte[] data = new byte[(int) length];
            b.get(data);
            assertThat(b.getInt()).isEqualTo(masked(data));
            records.add(data);
        }
        assertThat(records).hasSize(3);
        assertThat(new String(records.get(0), StandardCharsets.UTF_8)).contains("brain.Event:2");
        Scalar s = parse(records.get(2));
        assertThat(s.step).isEqualTo(300);
        assertThat(s.tag).isEqualTo("eval/loss");
        assertThat(s.value).isEqualTo(1.25f);
        assertThat(s.wallTime).isGreaterThan(1.6e9);
    }

    @Test
    void aResumedRunDropsTheEventsAfterItsCheckpoint() throws Exception {
        try (TensorBoardLog tb = new TensorBoardLog(dir)) {
            for (int step = 10; step <= 50; step += 10) tb.scalar("train/loss", step, step);
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        // a torn last record, as a killed process leaves it
        Files.write(file, new byte[] {7, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        TensorBoardLog.truncateAfter(dir, 30);
        assertThat(readRecords(file).stream().map(TensorBoardLog::stepOf)).containsExactly(0L, 10L, 20L, 30L);
        assertThat(parse(readRecords(file).get(3)).step).isEqualTo(30);
    }

    private static List<byte[]> readRecords(Path file) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] data = new byte[(int) b.getLong()];
            b.getInt();
            b.get(data);
            b.getInt();
            out.add(data);
        }
        return out;
    }

    /** The TFRecord mask from the format's documentation: ((crc >> 15) | (crc << 17)) + 0xa282ead8. */
    private static int masked(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        long c = crc.getValue();
        return (int) ((((c >>> 15) | (c << 17)) + 0xa282ead8L) & 0xFFFFFFFFL);
    }

    record Scalar(double wallTime, long step, String tag, float value) {}

    /** A minimal protobuf reader for Event{1: double, 2: varint, 5: Summary{1: Value{1: string, 2: float}}}. */
    private static Scalar parse(byte[] event) {
        ByteBuffer b = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
        double wall = 0;
        long step = 0;
        String tag = null;
        float value = Float.NaN;
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            if (field == 1 && wire == 1) wall = b.getDouble();
            else if (field == 2 && wire == 0) step = varint(b);
            else if (field == 5 && wire == 2) {
                ByteBuffer summary = slice(b);
                assertThat(varint(summary)).isEqualTo((1 << 3) | 2);
                ByteBuffer v = slice(summary);
                while (v.hasRemaining()) {
                    long k = varint(v);
                    if (k == ((1 << 3) | 2)) {
                        ByteBuffer s = slice(v);
                        byte[] t = new byte[s.remaining()];
                        s.get(t);
                        tag = new String(t, StandardCharsets.UTF_8);
                    } else if (k == ((2 << 3) | 5)) {
                        value = v.getFloat();
                    } else {
                        throw new AssertionError("unexpected field " + k);
                    }
                }
            } else {
                throw new AssertionError("unexpected field " + field + "/" + wire);
            }
        }
        return new Scalar(wall, step, tag, value);
    }

    private static ByteBuffer slice(ByteBuffer b) {
        int n = (int) varint(b);
        ByteBuffer s = b.slice().order(ByteOrder.LITTLE_ENDIAN).limit(n);
        b.position(b.position() + n);
        return s;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) return v;
        }
    }
}
