package org.sdex.plugins.data;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/** {@code moons}: two interleaving half circles, mapped by (x, y) -> (2x - 1, 2y - 1/2) onto [-3, 3] x [-1.5, 1.5] (plus noise). */
public final class MoonsPlugin implements DatasetPlugin {
    @Override public String name() { return "moons"; }

    @Override public String description() { return "two interleaving half circles (2-D toy)"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("noise", 0.1, "std of the Gaussian noise on each half circle").min(0));
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        double noise = p.real("noise");
        return new PointCloud(name(), (rng, out) -> {
            double a = Math.PI * rng.nextDouble();
            boolean upper = rng.nextDouble() < 0.5;
            double x = upper ? Math.cos(a) : 1 - Math.cos(a);
            double y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
            out[0] = 2 * (x + noise * rng.nextGaussian()) - 1;
            out[1] = 2 * (y + noise * rng.nextGaussian()) - 0.5;
        }, ctx.dataType());
    }
}
