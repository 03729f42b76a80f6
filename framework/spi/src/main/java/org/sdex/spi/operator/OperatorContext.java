package org.sdex.spi.operator;

import java.nio.file.Path;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an operator is built with: the shape of one example, the directory relative paths (mask
 * files) are read from, and the kernel's reader of array files ({@code .npy}): a file from a user is
 * untrusted input, and the kernel's reader checks it (header, dtype, size, finite values) and fails
 * in one line, so an operator never parses one itself.
 */
public record OperatorContext(long[] exampleShape, Path baseDir, Function<Path, INDArray> arrays) {
    /** Without an array reader: operators that read no files. */
    public OperatorContext(long[] exampleShape, Path baseDir) {
        this(exampleShape, baseDir, file -> {
            throw new IllegalStateException("no array reader given to read " + file);
        });
    }
}
