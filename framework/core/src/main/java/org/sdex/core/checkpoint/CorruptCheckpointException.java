package org.sdex.core.checkpoint;

import org.sdex.core.error.SdexException;

/** A checkpoint file that cannot be trusted: wrong magic or version, bad checksum, truncated, unreadable. */
public final class CorruptCheckpointException extends SdexException {
    public CorruptCheckpointException(String message) { super(message); }
}
