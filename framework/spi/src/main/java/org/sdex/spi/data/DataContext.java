package org.sdex.spi.data;

import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/** Where data files live (from --data or SDEX_DATA), the dtype to produce and which split to open. */
public record DataContext(Path dataRoot, DataType dataType, String split) {}
