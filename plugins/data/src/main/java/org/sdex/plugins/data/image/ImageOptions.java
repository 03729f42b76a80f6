package org.sdex.plugins.data.image;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;

/**
 * The settings every image data set shares: value range, augmentation, dequantization, padding and
 * a size limit. They mirror the reference's {@code config.data.centered}, {@code random_flip} and
 * {@code uniform_dequantization}.
 *
 * @param centered              values in [-1, 1] instead of [0, 1]
 * @param randomFlip            flip each drawn example horizontally with probability 1/2 in {@code sample}
 * @param uniformDequantization {@code (pixel + U(0,1)) / 256} instead of {@code pixel / 255}
 * @param pad                   zero pixels added on each side (a black pixel after scaling: 0, or -1 when centered)
 * @param limit                 use only the first {@code limit} examples of the split (0 = all)
 */
record ImageOptions(boolean centered, boolean randomFlip, boolean uniformDequantization, int pad, int limit) {

    static final ImageOptions DEFAULT = new ImageOptions(false, false, false, 0, 0);

    /** The shared parameters; {@code flipByDefault} is false for digit-like data, true for natural images. */
    static List<Param> params(boolean flipByDefault) {
        return List.of(
                Param.bool("centered", false, "values in [-1, 1] instead of [0, 1]"),
                Param.bool("randomFlip", flipByDefault, "flip drawn training examples horizontally with probability 1/2"),
                Param.bool("uniformDequantization", false, "x = (pixel + U(0,1)) / 256 instead of pixel / 255"),
                Param.integer("pad", 0, "black pixels added on each side, e.g. 2 turns 28x28 into 32x32").min(0).max(1024),
                Param.integer("limit", 0, "use only the first N examples of the split (0 = all)").min(0));
    }

    static ImageOptions of(Params p) {
        return new ImageOptions(p.bool("centered"), p.bool("randomFlip"), p.bool("uniformDequantization"),
                p.integer("pad"), p.integer("limit"));
    }

    /** How many of {@code available} examples to use. */
    int take(int available) { return limit > 0 ? Math.min(limit, available) : available; }
}
