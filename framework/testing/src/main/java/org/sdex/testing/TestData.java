package org.sdex.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * The real-data fixtures of the tests: a few hundred MNIST and Fashion-MNIST images cut from the
 * official files, in their gzipped IDX format, in the checkout's {@code test-data/} (the root pom
 * passes it as {@code -Dsdex.data}). They are part of the repository, so no test skips for lack of data.
 */
public final class TestData {
    private TestData() {}

    /** The fixture folder: {@code -Dsdex.data}, else {@code test-data} of the checkout seen from a module. */
    public static Path root() {
        String p = System.getProperty("sdex.data");
        Path dir = p != null ? Path.of(p) : Path.of("../../test-data");
        return dir.toAbsolutePath().normalize();
    }

    /** The fixture folder, checked to hold {@code file}: a missing fixture fails the test, it does not skip it. */
    public static Path require(String file) {
        Path dir = root();
        assertThat(dir.resolve(file)).as("test fixture (test-data/ of the checkout)").isRegularFile();
        return dir;
    }
}
