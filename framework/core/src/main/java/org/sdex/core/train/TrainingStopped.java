package org.sdex.core.train;

import java.nio.file.Path;
import org.sdex.core.error.SdexException;

/**
 * Training stopped on request (a preemption signal) after a step, with a checkpoint of that step
 * written: running the same experiment with {@code --resume} continues exactly where it stopped.
 */
public final class TrainingStopped extends SdexException {
    /** The exit code of a process stopped this way (BSD's EX_TEMPFAIL: run it again to continue). */
    public static final int EXIT_CODE = 75;
    private final int step;
    private final Path checkpoint;

    public TrainingStopped(int step, Path checkpoint) {
        super("training stopped on request after step " + step
                + (checkpoint != null ? "; checkpoint " + checkpoint + " written, resume with --resume" : ""));
        this.step = step;
        this.checkpoint = checkpoint;
    }

    public int step() { return step; }

    public Path checkpoint() { return checkpoint; }
}
