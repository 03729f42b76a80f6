package org.sdex.plugins.data.image;

import java.util.List;

/**
 * {@code mnist}: handwritten digits, [1, 28, 28], labels 0-9. The default prefix {@code auto} reads
 * full MNIST (60,000/10,000, {@code mnist-train-images-idx3-ubyte.gz}, ... as {@code sdex data get
 * mnist} stores it) when it is under the data root, else {@code mnist10k}, a 9,000/1,000-digit subset.
 */
public final class MnistPlugin extends IdxPlugin {
    public MnistPlugin() {
        super("mnist", AUTO, List.of("mnist", "mnist10k"), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "MNIST digits [1, 28, 28] from IDX files (prefix auto: mnist"
                + " = full MNIST 60,000/10,000 when present, else mnist10k = 9,000/1,000)");
    }
}
