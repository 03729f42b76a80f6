package org.sdex.core.error;

/**
 * A problem the user can fix (bad setting, unknown plugin, missing or corrupt file). Its message is
 * one line, naming where ({@code script:line} when known), the setting and the accepted values; the
 * command line prints it without a stack trace unless --debug.
 */
public class SdexException extends RuntimeException {
    public SdexException(String message) { super(message); }

    public SdexException(String message, Throwable cause) { super(message, cause); }
}
