package org.sdex.plugins.data;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/**
 * {@code rings}: concentric circles of radii 4k/count (k = 1..count), uniform along each circle, each
 * circle drawn in proportion to its length so the density along the rings is even.
 */
public final class RingsPlugin implements DatasetPlugin {
    @Override public String name() { return "rings"; }

    @Override public String description() { return "concentric circles with radii up to 4 (2-D toy)"; }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.integer("count", 4, "number of rings").min(1).max(50),
                Param.real("noise", 0.08, "std of the Gaussian noise around each ring").min(0));
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        int count = p.integer("count");
        double noise = p.real("noise");
        double total = count * (count + 1) / 2.0; // sum of k, proportional to total length
        return new PointCloud(name(), (rng, out) -> {
            double u = rng.nextDouble() * total;
            int k = 1;
            while (u >= k && k < count) {
                u -= k;
                k++;
            }
            double r = 4.0 * k / count;
            double a = 2 * Math.PI * rng.nextDouble();
            out[0] = r * Math.cos(a) + noise * rng.nextGaussian();
            out[1] = r * Math.sin(a) + noise * rng.nextGaussian();
        }, ctx.dataType());
    }
}
