package org.sdex.core.sweep;

/**
 * {@code task.json} in a point's folder, written by the task running the point: running (with
 * host and process id), preempted (a checkpoint was written; a rerun resumes), done, or failed
 * with the one line the task printed.
 */
public record TaskState(String state, String host, long pid, int attempt, String started, String ended, String error) {
    public static final String RUNNING = "running";
    public static final String PREEMPTED = "preempted";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** Not in task.json: no task has started the point yet. */
    public static final String PENDING = "pending";

    public TaskState ended(String newState, String when, String message) {
        return new TaskState(newState, host, pid, attempt, started, when, message);
    }
}
