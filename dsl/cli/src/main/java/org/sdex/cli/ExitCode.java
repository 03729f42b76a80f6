package org.sdex.cli;

/** Exit codes of the sdex command (the table in docs/security.md). */
final class ExitCode {
    private ExitCode() {}

    static final int OK = 0;
    /** A bug or an environment failure: not something the experiment could have avoided. */
    static final int FAILURE = 1;
    /** The experiment or a setting is wrong (SdexException): the message says what to change. */
    static final int USER_ERROR = 2;
    /** The computation failed on a valid experiment (training diverged; ComputeFailure). */
    static final int COMPUTE = 3;
    /** A file could not be read or written (disk full, permissions, a vanished folder). */
    static final int IO = 4;
    /** BSD's EX_USAGE: the command line does not parse. */
    static final int USAGE = 64;
    /** BSD's EX_TEMPFAIL: training stopped on SIGTERM/SIGUSR1 after a checkpoint; --resume continues it. */
    static final int STOPPED = org.sdex.core.train.TrainingStopped.EXIT_CODE;
}
