package org.sdex.core.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each point of a sweep stands: pending (no task has started it), running, preempted
 * (stopped with a checkpoint; a requeue or rerun resumes it), done or failed, with the failure's
 * one line. A task recorded as running on this host whose process is gone counts as failed.
 */
public final class SweepStatus {
    /** One point's standing. */
    public record Row(SweepPoint point, String state, int attempts, String error) {}

    private SweepStatus() {}

    public static List<Row> of(SweepDirectory sweep) {
        List<Row> rows = new ArrayList<>();
        for (SweepPoint p : sweep.points()) rows.add(row(sweep, p));
        return rows;
    }

    static Row row(SweepDirectory sweep, SweepPoint p) {
        Optional<TaskState> s = sweep.state(p);
        int attempts = s.map(TaskState::attempt).orElse(0);
        if (sweep.isDone(p)) return new Row(p, TaskState.DONE, attempts, null);
        if (s.isEmpty()) return new Row(p, TaskState.PENDING, 0, null);
        TaskState t = s.get();
        if (t.state().equals(TaskState.RUNNING) && t.host().equals(SweepDirectory.host())
                && ProcessHandle.of(t.pid()).map(h -> !h.isAlive()).orElse(true)) {
            return new Row(p, TaskState.FAILED, attempts, "the task (process " + t.pid() + ") ended without a word; see " + sweep.logs());
        }
        return new Row(p, t.state(), attempts, t.error());
    }

    /** How many points are in each state, in the order pending, running, preempted, done, failed. */
    public static Map<String, Integer> counts(List<Row> rows) {
        Map<String, Integer> c = new LinkedHashMap<>();
        for (String s : List.of(TaskState.PENDING, TaskState.RUNNING, TaskState.PREEMPTED, TaskState.DONE, TaskState.FAILED)) c.put(s, 0);
        for (Row r : rows) c.merge(r.state(), 1, Integer::sum);
        return c;
    }
}
