package org.sdex.plugins.data.image;

import java.nio.file.Files;
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
    /** The default prefix of {@code mnist}: the first of {@link #AUTO_PREFIXES} whose files are there. */
    static final String AUTO = "auto";

    private final String name;
    private final String defaultPrefix;
    private final List<String> autoPrefixes;
    private final List<String> classNames;
    private final String description;

    public IdxPlugin() {
        this("idx", null, List.of(), List.of(), "MNIST-style IDX images <prefix>-<split>-images-idx3-ubyte[.gz] with labels, shape [1, rows, cols]");
    }

    /**
     * A named IDX data set of 28x28 images that {@code sdex data get NAME} downloads; a null
     * {@code defaultPrefix} makes {@code prefix} required; with {@code AUTO} the first of
     * {@code autoPrefixes} whose training images exist is read (the first one when none does).
     * {@code classNames} name the labels 0, 1, ... (empty: the classes are the labels found).
     */
    protected IdxPlugin(String name, String defaultPrefix, List<String> autoPrefixes, List<String> classNames, String description) {
        this.name = name;
        this.defaultPrefix = defaultPrefix;
        this.autoPrefixes = List.copyOf(autoPrefixes);
        this.classNames = List.copyOf(classNames);
        this.description = description;
    }

    @Override public final String name() { return name; }

    @Override public final String description() { return description; }

    @Override
    public final List<Param> parameters() {
        List<Param> params = new ArrayList<>();
        params.add(Param.string("prefix", defaultPrefix,
                "file prefix under the data root: <prefix>-<split>-images-idx3-ubyte[.gz] and <prefix>-<split>-labels-idx1-ubyte[.gz]"
                        + (autoPrefixes.isEmpty() ? "" : "; auto: the first of " + String.join(", ", autoPrefixes) + " that is there")));
        params.addAll(ImageOptions.params(false));
        return params;
    }

    @Override
    public final Dataset open(Params p, DataContext ctx) {
        String who = "data '" + name + "'";
        String prefix = p.string("prefix");
        String split = ctx.split();
        ImageOptions options = ImageOptions.of(p);
        // the named sets are 28x28 and downloadable, as long as their own file names are read
        boolean known = defaultPrefix != null && (prefix.equals(defaultPrefix) || autoPrefixes.contains(prefix));
        Needed needed = known ? new Needed(who, name, Needed.square(1, 28, options.pad())) : new Needed(who, null, null);
        Path root = DataFiles.root(needed, ctx.dataRoot());
        if (prefix.equals(AUTO) && !autoPrefixes.isEmpty()) prefix = autoPrefix(root);
        String of = " of split '" + split + "' for prefix '" + prefix + "'";
        Path images = DataFiles.plainOrGz(needed, root, prefix + "-" + split + "-images-idx3-ubyte", "IDX images" + of);
        Path labels = DataFiles.plainOrGz(needed, root, prefix + "-" + split + "-labels-idx1-ubyte", "IDX labels" + of);
        Images read = IdxFiles.read(who, images, labels, options.limit());
        return (classNames.isEmpty() ? read : read.named(classNames)).dataset(name, options, ctx.dataType());
    }

    private String autoPrefix(Path root) {
        for (String candidate : autoPrefixes) {
            String images = candidate + "-train-images-idx3-ubyte";
            if (Files.isRegularFile(root.resolve(images)) || Files.isRegularFile(root.resolve(images + ".gz"))) {
                return candidate;
            }
        }
        return autoPrefixes.get(0);
    }
}
