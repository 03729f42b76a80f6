package org.sdex.plugins.data.image;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Decoded 8-bit images as one byte array, example-major, each example as planes C x H x W.
 *
 * @param labels  one class per example, or null when the data has none
 * @param classes class names by label, empty when the files carry only numbers
 */
record Images(byte[] pixels, int[] labels, List<String> classes, int count, int channels, int height, int width) {
    /** The same images with these class names (the named sets, whose files carry only numbers). */
    Images named(List<String> names) {
        return new Images(pixels, labels, names, count, channels, height, width);
    }

    ImageData dataset(String name, ImageOptions options, DataType type) {
        return new ImageData(name, pixels, labels, classes, count, channels, height, width, options, type);
    }
}
