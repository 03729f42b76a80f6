package org.sdex.plugins.data.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/**
 * {@code idx}: MNIST-style IDX files under the data root, {@code <prefix>-<split>-images-idx3-ubyte}
 * and {@code <prefix>-<split>-labels-idx1-ubyte}, each optionally gzipped ({@code .gz}; the plain file
 * wins when both exist). Examples have shape [1, rows, cols] ([1, 28, 28] for MNIST), plus padding.
 * {@link MnistPlugin mnist} and {@link FashionPlugin fashion} are this loader with a default prefix.
 */
public class IdxPlugin implements DatasetPlugin {
    private final String name;
    private final String defaultPrefix;
    private final String description;

    public IdxPlugin() {
        this("idx", null, "MNIST-style IDX images <prefix>-<split>-images-idx3-ubyte[.gz] with labels, shape [1, rows, cols]");
    }

    /** A named IDX data set; a null {@code defaultPrefix} makes {@code prefix} required. */
    protected IdxPlugin(String name, String defaultPrefix, String description) {
        this.name = name;
        this.defaultPrefix = defaultPrefix;
        this.description = description;
    }

    @Override public final String name() { return name; }

    @Override public final String description() { return description; }

    @Override
    public final List<Param> parameters() {
        List<Param> params = new ArrayList<>();
        params.add(Param.string("prefix", defaultPrefix,
                "file prefix under the data root: <prefix>-<split>-images-idx3-ubyte[.gz] and <prefix>-<split>-labels-idx1-ubyte[.gz]"));
        params.addAll(ImageOptions.params(false));
        return params;
    }

    @Override
    public final Dataset open(Params p, DataContext ctx) {
        String who = "data '" + name + "'";
        String prefix = p.string("prefix");
        String split = ctx.split();
        Path root = DataFiles.root(who, ctx.dataRoot());
        String of = " of split '" + split + "' for prefix '" + prefix + "'";
        Path images = DataFiles.plainOrGz(who, root, prefix + "-" + split + "-images-idx3-ubyte", "IDX images" + of);
        Path labels = DataFiles.plainOrGz(who, root, prefix + "-" + split + "-labels-idx1-ubyte", "IDX labels" + of);
        ImageOptions options = ImageOptions.of(p);
        return IdxFiles.read(who, images, labels, options.limit()).dataset(name, options, ctx.dataType());
    }
}
