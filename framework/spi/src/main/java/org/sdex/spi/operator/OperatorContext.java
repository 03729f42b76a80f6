package org.sdex.spi.operator;

import java.nio.file.Path;

/** What an operator is built with: the shape of one example and the directory relative paths (mask files) are read from. */
public record OperatorContext(long[] exampleShape, Path baseDir) {}
