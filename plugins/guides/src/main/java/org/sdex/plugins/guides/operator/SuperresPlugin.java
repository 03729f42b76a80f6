package org.sdex.plugins.guides.operator;

import java.util.Arrays;
import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;

/** {@code superres}: average pooling by a factor k over H and W, the measurement of super-resolution (as in DDRM, Kawar et al. 2022). */
public final class SuperresPlugin implements OperatorPlugin {
    @Override public String name() { return "superres"; }

    @Override public String description() { return "average-pool k x k blocks of each channel (an axis of length 1 is kept)"; }

    @Override public List<Param> parameters() { return List.of(Param.integer("factor", 2, "down-sampling factor k").min(2)); }

    @Override
    public Operator create(Params params, OperatorContext context) {
        Grid g = Grid.of(context.exampleShape(), name());
        int k = params.integer("factor");
        int kh = g.h() == 1 ? 1 : k, kw = g.w() == 1 ? 1 : k;
        if (g.h() % kh != 0 || g.w() % kw != 0) {
            throw new ParamException("factor", "superres factor " + k + " must divide the image size " + g.h() + "x" + g.w());
        }
        long[] in = context.exampleShape();
        long[] out = in.clone();
        out[out.length - 1] = g.w() / kw;
        if (out.length >= 2) out[out.length - 2] = g.h() / kh;
        if (Arrays.equals(in, out)) throw new ParamException("factor", "superres needs an image axis longer than 1");
        return new AveragePool(g, out, kh, kw);
    }
}
