package org.sdex.spi.data;

import java.util.Optional;

/**
 * A data set's files are not under the data root. Distinct from a corrupt or unreadable file so
 * that {@code sdex validate} can check the rest of an experiment without the data, using the shape
 * the examples would have.
 */
public class MissingDataException extends IllegalArgumentException {
    private final long[] shape;

    /** @param shape the shape of one example had the files been there, or null when it depends on them */
    public MissingDataException(String message, long[] shape) {
        super(message);
        this.shape = shape == null ? null : shape.clone();
    }

    /** The shape one example would have, when it does not depend on the missing files. */
    public Optional<long[]> shape() { return Optional.ofNullable(shape).map(long[]::clone); }
}
