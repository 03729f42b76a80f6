package org.sdex.plugins.guides.operator;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;

/** {@code blur}: separable Gaussian blur with circular boundaries, SVD in the real Fourier basis (deblurring as in DDRM, Kawar et al. 2022). */
public final class BlurPlugin implements OperatorPlugin {
    @Override public String name() { return "blur"; }

    @Override public String description() { return "Gaussian blur of each channel, kernel size x size with std width, circular boundaries"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.integer("size", 5, "kernel size in pixels (odd)").min(1),
                Param.real("width", 1.0, "standard deviation of the kernel in pixels").positive());
    }

    @Override
    public Operator create(Params params, OperatorContext context) {
        int size = params.integer("size");
        if (size % 2 == 0) throw new ParamException("size", "blur size must be odd, got " + size);
        return new CircularBlur(Grid.of(context.exampleShape(), name()), size, params.real("width"));
    }
}
