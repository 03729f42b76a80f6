package org.sdex.core.plugin;

/**
 * Parent of every plugin jar's class loader: shows the plugin the JDK, the SPI, the toolkit (the
 * Gaussian-mixture oracle) and the libraries the SPI exposes in its signatures (ND4J, JavaCPP,
 * SLF4J), and nothing else of sdex. A plugin
 * thus cannot come to depend on kernel internals, and its own dependencies cannot clash with ours.
 */
final class SpiOnlyClassLoader extends ClassLoader {
    private static final String[] VISIBLE = {
        "org.sdex.spi.", "org.sdex.toolkit.", "org.nd4j.", "org.bytedeco.", "org.slf4j.",
    };

    private final ClassLoader kernel;

    SpiOnlyClassLoader(ClassLoader kernel) {
        super("sdex-spi", ClassLoader.getPlatformClassLoader());
        this.kernel = kernel;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (String prefix : VISIBLE) {
            if (name.startsWith(prefix)) return kernel.loadClass(name);
        }
        throw new ClassNotFoundException(name + " (plugins see only the sdex SPI and toolkit, ND4J and SLF4J)");
    }

    @Override
    protected java.net.URL findResource(String name) {
        // native libraries and ND4J's own resources are looked up through the kernel
        return name.startsWith("org/nd4j/") || name.startsWith("org/bytedeco/") ? kernel.getResource(name) : null;
    }
}
