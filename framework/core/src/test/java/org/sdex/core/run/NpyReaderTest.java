package org.sdex.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.error.SdexException;

/** .npy files from outside, written byte by byte as NumPy writes them, and broken on purpose. */
class NpyReaderTest {
    @TempDir Path dir;

    /** A version-1.0 file as numpy.save writes it: header padded with spaces to a multiple of 64. */
    private Path npy(String descr, String fortran, String shape, byte[] body) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        Path f = Files.createTempFile(dir, "p", ".npy");
        Files.write(f, out.toByteArray());
        return f;
    }

    private static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void readsFloat64AndFloat32InCOrder() throws IOException {
        NpyReader.Array a = NpyReader.read(npy("<f8", "False", "(2, 2)", doubles(1, 2, 3, 4.5)));
        assertThat(a.shape()).containsExactly(2, 2);
        assertThat(a.values()).containsExactly(1, 2, 3, 4.5);
        NpyReader.Array f = NpyReader.read(npy("<f4", "False", "(3,)", floats(0.5f, -1, 2)));
        assertThat(f.shape()).containsExactly(3);
        assertThat(f.values()).containsExactly(0.5, -1, 2);
    }

    @Test
    void aTruncatedBodyIsRefused() throws IOException {
        byte[] body = doubles(new double[100]);
        Path f = npy("<f8", "False", "(50, 2)", Arrays.copyOf(body, body.length - 20));
        assertThatThrownBy(() -> NpyReader.read(f)).isInstanceOf(SdexException.class)
                .hasMessage("not a valid .npy file: " + f + ": the header's shape [50, 2] of 8-byte values needs 800 bytes of data, "
                        + "the file has 780 (truncated or not what it claims)");
    }

    @Test
    void aHeaderClaimingMoreThanTheBodyIsRefused() throws IOException {
        Path f = npy("<f8", "False", "(1000000, 2)", new byte[100]);
        assertThatThrownBy(() -> NpyReader.read(f)).hasMessageContaining("needs 16000000 bytes of data, the file has 100");
        Path huge = npy("<f8", "False", "(9223372036854775807, 2)", new byte[100]);
        assertThatThrownBy(() -> NpyReader.read(huge)).hasMessageEndingWith(": the header's shape is too large");
    }

    @Test
    void nanInfinityEmptyFortranAndOddDtypesAreRefused() throws IOException {
        Path nan = npy("<f8", "False", "(2, 2)", doubles(1, Double.NaN, 3, 4));
        assertThatThrownBy(() -> NpyReader.read(nan)).hasMessageEndingWith(": value NaN at index 1 (flat, C order); NaN and infinity are not accepted");
        Path inf = npy("<f4", "False", "(2,)", floats(1, Float.POSITIVE_INFINITY));
        assertThatThrownBy(() -> NpyReader.read(inf)).hasMessageContaining("value Infinity at index 1");
        Path empty = npy("<f8", "False", "(0, 2)", new byte[0]);
        assertThatThrownBy(() -> NpyReader.read(empty)).hasMessageEndingWith(": the array is empty (shape [0, 2])");
        Path fortran = npy("<f8", "True", "(2, 2)", doubles(1, 2, 3, 4));
        assertThatThrownBy(() -> NpyReader.read(fortran)).hasMessageContaining("Fortran-ordered arrays are not supported");
        Path objects = npy("|O", "False", "(2,)", new byte[16]);
        assertThatThrownBy(() -> NpyReader.read(objects)).hasMessageEndingWith(": the header names no dtype");
        Path complex = npy("<c16", "False", "(2,)", new byte[32]);
        assertThatThrownBy(() -> NpyReader.read(complex)).hasMessageContaining("dtype '<c16' is not supported");
    }

    @Test
    void notAnNpyFileAtAll() throws IOException {
        Path text = Files.writeString(dir.resolve("points.npy"), "1,2\n3,4\n");
        assertThatThrownBy(() -> NpyReader.read(text)).hasMessage("not a valid .npy file: " + text + ": no .npy magic number; is it a NumPy .npy file?");
        assertThatThrownBy(() -> NpyReader.read(dir.resolve("missing.npy"))).hasMessage("no such .npy file: " + dir.resolve("missing.npy"));
    }
}
