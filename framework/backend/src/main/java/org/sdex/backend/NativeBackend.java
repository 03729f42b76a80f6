package org.sdex.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the ND4J native build before ND4J loads: the oneDNN/AVX-512 build where the CPU has
 * AVX-512 (conv2d through oneDNN is what makes image networks fast), the plain x86_64 build
 * elsewhere. Both are on the class path; JavaCPP chooses by the platform extension property.
 * Call first thing in every entry point; a property already set by the user wins.
 */
public final class NativeBackend {
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String FAST_EXTENSION = "-onednn-avx512";

    private NativeBackend() {}

    public static synchronized void select() {
        if (System.getProperty(EXTENSION_PROPERTY) != null) return;
        if (hasAvx512()) System.setProperty(EXTENSION_PROPERTY, FAST_EXTENSION);
    }

    static boolean hasAvx512() {
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) return false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) return line.contains(" avx512f");
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
