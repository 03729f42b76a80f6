package org.sdex.plugins.guides.operator;

import java.util.Arrays;
import org.sdex.spi.ParamException;

/**
 * An example seen as an image [C, H, W]: images are [C, H, W] already, [H, W] is one channel, and a
 * point [d] of a toy data set is one channel of one row of d pixels. Image operators (box masks,
 * pooling, blur) act on H and W; an axis of length 1 is never pooled or blurred.
 */
record Grid(long[] shape, int c, int h, int w) {
    static Grid of(long[] shape, String operator) {
        int[] s = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
        return switch (s.length) {
            case 1 -> new Grid(shape, 1, 1, s[0]);
            case 2 -> new Grid(shape, 1, s[0], s[1]);
            case 3 -> new Grid(shape, s[0], s[1], s[2]);
            default -> throw new ParamException(null, "operator '" + operator + "' needs examples of shape [d], [H, W] or [C, H, W], got "
                    + Arrays.toString(shape));
        };
    }

    int size() { return c * h * w; }

    int pixels() { return h * w; }

    int index(int channel, int row, int col) { return (channel * h + row) * w + col; }
}
