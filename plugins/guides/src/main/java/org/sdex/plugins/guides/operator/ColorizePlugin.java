package org.sdex.plugins.guides.operator;

import java.util.Arrays;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;

/** {@code colorize}: RGB to gray (channel mean), with score_sde's orthogonal decoupling basis as its SVD (Song et al. 2021, App. I.3). */
public final class ColorizePlugin implements OperatorPlugin {
    @Override public String name() { return "colorize"; }

    @Override public String description() { return "RGB to gray, the mean of the 3 channels per pixel ([3, H, W] to [1, H, W])"; }

    @Override
    public Operator create(Params params, OperatorContext context) {
        long[] shape = context.exampleShape();
        if (shape.length != 3 || shape[0] != 3) {
            throw new ParamException(null, "operator 'colorize' needs RGB examples [3, H, W], got " + Arrays.toString(shape));
        }
        return new Grayscale(shape, new long[] {1, shape[1], shape[2]}, Math.toIntExact(shape[1] * shape[2]));
    }
}
