package org.sdex.plugins.data;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/**
 * {@code checkerboard}: uniform on the 8 dark squares of a 4x4 board covering [-4, 4]^2 (times
 * {@code scale}), the 2-D benchmark of FFJORD and later score-model papers.
 */
public final class CheckerboardPlugin implements DatasetPlugin {
    @Override public String name() { return "checkerboard"; }

    @Override public String description() { return "uniform on the dark squares of a 4x4 checkerboard on [-4,4]^2 (2-D toy)"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("scale", 1.0, "multiplies the board; 1 covers [-4, 4]^2").positive());
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        double scale = p.real("scale");
        return new PointCloud(name(), (rng, out) -> {
            // a dark square: row r in 0..3, column c in 0..3 with r + c even
            int square = rng.nextInt(8);
            int r = square / 2;
            int c = 2 * (square % 2) + (r % 2);
            out[0] = scale * (-4 + 2 * c + 2 * rng.nextDouble());
            out[1] = scale * (-4 + 2 * r + 2 * rng.nextDouble());
        }, ctx.dataType(), (x, y) -> isDark(x / scale, y / scale));
    }

    /** Inside [-4, 4]^2 on a square whose row and column (0..3 from the lower left) add up to an even number. */
    static boolean isDark(double x, double y) {
        if (!(x >= -4 && x < 4 && y >= -4 && y < 4)) return false;
        int c = (int) Math.floor((x + 4) / 2);
        int r = (int) Math.floor((y + 4) / 2);
        return (r + c) % 2 == 0;
    }
}
