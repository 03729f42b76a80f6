package org.sdex.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the real data sets of this machine live: -Dsdex.data, SDEX_DATA, or ../shared/data beside the checkout. */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String p = System.getProperty("sdex.data");
        if (p == null) p = System.getenv("SDEX_DATA");
        Path dir = p != null ? Path.of(p) : Path.of("../shared/data");
        return dir.toAbsolutePath().normalize();
    }

    /** The data root, or the test is skipped (with the reason) where the shared data is absent. */
    public static Path require(String file) {
        Path dir = root();
        Assumptions.assumeTrue(Files.exists(dir.resolve(file)), "shared data not found: " + dir.resolve(file));
        return dir;
    }
}
