package org.sdex.spi.data;

/**
 * How 8-bit image data are scaled for the model: pixel k of {0..255} becomes k/255 in [0, 1]
 * ({@link #UNIT}) or 2 k/255 - 1 in [-1, 1] ({@link #CENTERED}, the reference's
 * {@code data.centered}). Bits per dimension and image writers need to know which.
 */
public enum PixelRange {
    UNIT,
    CENTERED;

    /** The model-space value of a [0, 1] value. */
    public double fromUnit(double u) { return this == UNIT ? u : 2 * u - 1; }

    /** The [0, 1] value of a model-space value. */
    public double toUnit(double v) { return this == UNIT ? v : (v + 1) / 2; }
}
