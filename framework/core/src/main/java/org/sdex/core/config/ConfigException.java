package org.sdex.core.config;

import org.sdex.core.error.SdexException;

/** An invalid experiment setting; prints as {@code script:line: message}. */
public class ConfigException extends SdexException {
    private final SourceLocation location;

    public ConfigException(SourceLocation location, String message) {
        super((location == null ? SourceLocation.UNKNOWN : location) + ": " + message);
        this.location = location == null ? SourceLocation.UNKNOWN : location;
    }

    public SourceLocation location() { return location; }
}
