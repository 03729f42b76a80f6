package org.sdex.core.interop;

import org.sdex.core.error.SdexException;

/** A weight file sdex refuses to read: corrupt, truncated, of an unknown kind, or asking to run code. */
public final class WeightFileException extends SdexException {
    public WeightFileException(String message) {
        super(message);
    }
}
