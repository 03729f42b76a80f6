package org.sdex.core.interop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as weight files hold it: element type, shape and the values in C order as
 * little-endian bytes. Plain Java, so files are checked before ND4J sees any of them.
 */
public record HostTensor(Dtype dtype, long[] shape, ByteBuffer data) {
    public HostTensor {
        shape = shape.clone();
        data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long n = numel(shape);
        if (n * dtype.size() != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + n * dtype.size() + " bytes, got " + data.remaining());
        }
    }

    /** A float32 tensor of the given values. */
    public static HostTensor ofFloats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new HostTensor(Dtype.F32, shape, b);
    }

    /** Number of elements of a shape; refuses negative extents and sizes past what one Java array holds. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative extent in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public long numel() { return numel(shape); }

    @Override
    public long[] shape() { return shape.clone(); }

    /** The values as float32 (half, bfloat16 and double converted; integers as their float values). */
    public float[] toFloats() {
        long n = numel();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor of " + n + " elements is too large");
        float[] out = new float[(int) n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out.length; i++) {
            int at = i * dtype.size();
            out[i] = switch (dtype) {
                case F32 -> b.getFloat(at);
                case F64 -> (float) b.getDouble(at);
                case F16 -> halfToFloat(b.getShort(at));
                case BF16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
                case I64 -> b.getLong(at);
                case I32 -> b.getInt(at);
                case I16 -> b.getShort(at);
                case I8 -> b.get(at);
                case U8 -> b.get(at) & 0xff;
                case BOOL -> b.get(at) != 0 ? 1f : 0f;
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf, NaN
        if (exp == 0) { // zero or subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() { return 31 * dtype.hashCode() + Arrays.hashCode(shape); }

    @Override
    public String toString() { return dtype + Arrays.toString(shape); }
}
