package org.sdex.plugins.data;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/** {@code swiss_roll}: the 2-D Swiss roll (t cos t, t sin t), t in [1.5 pi, 4.5 pi], scaled by 1/5 into [-2.2, 2.83]^2 (plus noise). */
public final class SwissRollPlugin implements DatasetPlugin {
    @Override public String name() { return "swiss_roll"; }

    @Override public String description() { return "2-D Swiss roll, about [-2.8, 2.8]^2 (2-D toy)"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("noise", 0.5, "std of the Gaussian noise added before scaling by 1/5").min(0));
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        double noise = p.real("noise");
        return new PointCloud(name(), (rng, out) -> {
            double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            out[0] = (t * Math.cos(t) + noise * rng.nextGaussian()) / 5;
            out[1] = (t * Math.sin(t) + noise * rng.nextGaussian()) / 5;
        }, ctx.dataType());
    }
}
