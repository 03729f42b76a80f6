package org.sdex.cli;

/** The command line itself is wrong (unknown command or option, missing argument): exit 64. */
final class UsageException extends RuntimeException {
    UsageException(String message) { super(message); }
}
