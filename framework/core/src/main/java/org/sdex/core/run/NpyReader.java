package org.sdex.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sdex.core.error.SdexException;

/**
 * Reads a NumPy .npy file from outside without trusting it: the magic and version, a header of
 * bounded length naming a supported dtype, C order and a shape, a body of exactly shape × item
 * size bytes, no empty array and no NaN or infinity. Each problem is one line naming the file. Pure
 * Java: a lying header cannot reach native code (ND4J's reader trusts it and crashes the JVM).
 */
public final class NpyReader {
    private NpyReader() {}

    /** The values in C order and the shape. */
    public record Array(long[] shape, double[] values) {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public static Array read(Path file) {
        if (!Files.isRegularFile(file)) throw new SdexException("no such .npy file: " + file);
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            byte[] start = in.readNBytes(8);
            if (start.length < 8 || !Arrays.equals(Arrays.copyOf(start, 6), MAGIC)) throw bad(file, "no .npy magic number; is it a NumPy .npy file?");
            int major = start[6];
            int lengthBytes = major == 1 ? 2 : major == 2 || major == 3 ? 4 : -1;
            if (lengthBytes < 0) throw bad(file, ".npy format version " + major + " is not supported (1, 2 or 3)");
            byte[] len = in.readNBytes(lengthBytes);
            if (len.length < lengthBytes) throw bad(file, "the file ends inside its header");
            long headerLength = lengthBytes == 2
                    ? ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff
                    : ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (headerLength > MAX_HEADER) throw bad(file, "a header of " + headerLength + " bytes; at most " + MAX_HEADER);
            byte[] headerBytes = in.readNBytes((int) headerLength);
            if (headerBytes.length < headerLength) throw bad(file, "the file ends inside its header");
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

            Matcher descr = DESCR.matcher(header);
            if (!descr.find()) throw bad(file, "the header names no dtype");
            char order = descr.group(1).charAt(0);
            char kind = descr.group(2).charAt(0);
            int itemSize = Integer.parseInt(descr.group(3));
            if (!supported(kind, itemSize)) {
                throw bad(file, "dtype '" + descr.group(1) + kind + itemSize + "' is not supported (float32/64, int8/16/32/64, uint8, bool)");
            }
            Matcher fortran = FORTRAN.matcher(header);
            if (!fortran.find()) throw bad(file, "the header has no fortran_order");
            if (fortran.group(1).equals("True")) throw bad(file, "Fortran-ordered arrays are not supported; save np.ascontiguousarray(x)");
            long[] shape = shape(file, header);
            long count = 1;
            for (long d : shape) {
                if (d == 0) throw bad(file, "the array is empty (shape " + Arrays.toString(shape) + ")");
                count = Math.multiplyExact(count, d);
            }
            long body = size - 6 - 2 - lengthBytes - headerLength;
            if (count > Integer.MAX_VALUE - 8 || count * itemSize != body) {
                throw bad(file, "the header's shape " + Arrays.toString(shape) + " of " + itemSize + "-byte values needs "
                        + count * itemSize + " bytes of data, the file has " + body + " (truncated or not what it claims)");
            }
            ByteBuffer data = ByteBuffer.wrap(in.readNBytes((int) body))
                    .order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = value(data, kind, itemSize);
                if (!Double.isFinite(values[i])) {
                    throw bad(file, "value " + values[i] + " at index " + i + " (flat, C order); NaN and infinity are not accepted");
                }
            }
            return new Array(shape, values);
        } catch (ArithmeticException e) {
            throw bad(file, "the header's shape is too large");
        } catch (IOException e) {
            throw new SdexException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] shape(Path file, String header) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) throw bad(file, "the header has no shape");
        String[] parts = m.group(1).split(",");
        long[] dims = Arrays.stream(parts).map(String::strip).filter(s -> !s.isEmpty()).mapToLong(s -> {
            try {
                long d = Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
                if (d < 0) throw bad(file, "a negative dimension in the shape (" + m.group(1) + ")");
                return d;
            } catch (NumberFormatException e) {
                throw bad(file, "the shape (" + m.group(1) + ") is not a tuple of integers");
            }
        }).toArray();
        if (dims.length == 0) throw bad(file, "a scalar, not an array of points");
        return dims;
    }

    private static boolean supported(char kind, int size) {
        return switch (kind) {
            case 'f' -> size == 4 || size == 8;
            case 'i' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'u', 'b' -> size == 1;
            default -> false;
        };
    }

    private static double value(ByteBuffer b, char kind, int size) {
        if (kind == 'f') return size == 4 ? b.getFloat() : b.getDouble();
        if (kind == 'u' || kind == 'b') return b.get() & 0xff;
        return switch (size) {
            case 1 -> b.get();
            case 2 -> b.getShort();
            case 4 -> b.getInt();
            default -> b.getLong();
        };
    }

    private static SdexException bad(Path file, String why) {
        return new SdexException("not a valid .npy file: " + file + ": " + why);
    }
}
