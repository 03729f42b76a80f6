package org.sdex.plugins.guides.operator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sdex.spi.ParamException;

/** An inpainting mask from a {@code .npy} file (C order; bool, uint8, int32/64, float32/64): non-zero = observed. */
final class MaskFile {
    private MaskFile() {}

    record Mask(long[] shape, boolean[] observed) {}

    static Mask read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ParamException("file", "cannot read mask file " + file + ": " + e.getMessage());
        }
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new ParamException("file", "mask file " + file + " is not a .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.ISO_8859_1);
        String descr = group(header, "'descr':\\s*'([^']+)'", file);
        if (header.contains("'fortran_order': True")) throw new ParamException("file", "mask file " + file + " must be in C order");
        String[] dims = group(header, "'shape':\\s*\\(([^)]*)\\)", file).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        int count = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact));
        boolean[] observed = new boolean[count];
        b.position(start);
        for (int i = 0; i < count; i++) {
            observed[i] = switch (descr) {
                case "|b1", "|u1" -> b.get() != 0;
                case "<i4" -> b.getInt() != 0;
                case "<i8" -> b.getLong() != 0;
                case "<f4" -> b.getFloat() != 0;
                case "<f8" -> b.getDouble() != 0;
                default -> throw new ParamException("file", "mask file " + file + " has dtype " + descr
                        + "; accepted: bool, uint8, int32, int64, float32, float64");
            };
        }
        return new Mask(shape, observed);
    }

    private static String group(String header, String regex, Path file) {
        Matcher m = Pattern.compile(regex).matcher(header);
        if (!m.find()) throw new ParamException("file", "mask file " + file + " has an unreadable .npy header");
        return m.group(1);
    }
}
