package org.sdex.plugins.data.image;

/** {@code fashion}: Fashion-MNIST, 60,000/10,000 grey 28x28 clothing images in 10 classes, from IDX files with prefix {@code fashion}. */
public final class FashionPlugin extends IdxPlugin {
    public FashionPlugin() {
        super("fashion", "fashion", java.util.List.of(), "Fashion-MNIST [1, 28, 28] from IDX files fashion-<split>-*-ubyte[.gz] (60,000 train / 10,000 test)");
    }
}
