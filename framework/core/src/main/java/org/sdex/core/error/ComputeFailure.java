package org.sdex.core.error;

/**
 * The computation itself failed on valid input (training diverged): the experiment was accepted,
 * but its numbers went wrong. The message says what was kept and what to change; exit code 3.
 */
public class ComputeFailure extends SdexException {
    public ComputeFailure(String message) { super(message); }
}
