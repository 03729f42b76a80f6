package org.sdex.core.sweep;

import java.util.List;

/**
 * One point of a sweep: its index (the array task / completion index), the {@code --set}
 * assignments that make it from the base experiment, and a short name for its folder.
 */
public record SweepPoint(int index, List<String> assignments, String name) {
    public SweepPoint {
        assignments = List.copyOf(assignments);
    }

    /** The point's folder under the sweep directory: {@code 003-dpm_solver_pp-20}. */
    public String folder() { return String.format("%03d-%s", index, name); }

    /** The setting key of an assignment ({@code sample.steps} of {@code sample.steps=20}). */
    public static String key(String assignment) { return assignment.substring(0, assignment.indexOf('=')); }

    /** The value text of an assignment. */
    public static String value(String assignment) { return assignment.substring(assignment.indexOf('=') + 1); }
}
