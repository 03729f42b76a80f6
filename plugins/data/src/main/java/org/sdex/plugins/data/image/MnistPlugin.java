package org.sdex.plugins.data.image;

/**
 * {@code mnist}: handwritten digits, [1, 28, 28], labels 0-9. The default prefix {@code mnist10k} is
 * the 9,000/1,000-digit subset kept on this machine; {@code prefix: 'mnist'} reads full MNIST
 * (60,000/10,000) renamed to {@code mnist-train-images-idx3-ubyte.gz}, ...
 */
public final class MnistPlugin extends IdxPlugin {
    public MnistPlugin() {
        super("mnist", "mnist10k", "MNIST digits [1, 28, 28] from IDX files (default prefix mnist10k: 9,000 train / 1,000 test)");
    }
}
