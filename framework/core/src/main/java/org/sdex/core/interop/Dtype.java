package org.sdex.core.interop;

import java.util.Locale;

/**
 * The element types weight files carry, with their sizes and their names in safetensors
 * headers ({@code "F32"}) and in PyTorch pickles ({@code torch.FloatStorage}).
 */
public enum Dtype {
    F64(8, "DoubleStorage"), F32(4, "FloatStorage"), F16(2, "HalfStorage"), BF16(2, "BFloat16Storage"),
    I64(8, "LongStorage"), I32(4, "IntStorage"), I16(2, "ShortStorage"), I8(1, "CharStorage"),
    U8(1, "ByteStorage"), BOOL(1, "BoolStorage");

    private final int size;
    private final String torchStorage;

    Dtype(int size, String torchStorage) {
        this.size = size;
        this.torchStorage = torchStorage;
    }

    /** Bytes per element. */
    public int size() { return size; }

    /** The class name of PyTorch's typed storage for this type, in module {@code torch}. */
    public String torchStorage() { return torchStorage; }

    /** Whether values are floating point (weights); the others are counters and indices. */
    public boolean floating() { return this == F64 || this == F32 || this == F16 || this == BF16; }

    /** The type of a safetensors header's {@code dtype} field, or null when sdex does not read it. */
    public static Dtype ofSafetensors(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The type of a PyTorch storage class name ({@code FloatStorage}), or null. */
    public static Dtype ofTorchStorage(String name) {
        for (Dtype d : values()) if (d.torchStorage.equals(name)) return d;
        return null;
    }
}
