package org.sdex.plugins.data.image;

import java.util.List;

/** {@code fashion}: Fashion-MNIST, 60,000/10,000 grey 28x28 clothing images in 10 classes, from IDX files with prefix {@code fashion}. */
public final class FashionPlugin extends IdxPlugin {
    /** The labels' names, as the data set's authors list them. */
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");

    public FashionPlugin() {
        super("fashion", "fashion", List.of(), CLASSES, "Fashion-MNIST [1, 28, 28] from IDX files fashion-<split>-*-ubyte[.gz] (60,000 train / 10,000 test)");
    }
}
