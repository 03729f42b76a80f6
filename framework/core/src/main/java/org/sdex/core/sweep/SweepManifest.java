package org.sdex.core.sweep;

import java.util.List;

/**
 * {@code sweep.json}: what a sweep directory holds, written once when the sweep is first
 * submitted. Tasks read their point from it; a later submission must match it.
 *
 * @param experiment   the experiment's name
 * @param script       the script's file name; a copy lives beside sweep.json and is what tasks run
 * @param scriptSha256 the script's content hash
 * @param sets         {@code --set} overrides applied to every point before its own
 * @param points       the expanded points, by index
 */
public record SweepManifest(String experiment, String script, String scriptSha256, List<String> sets, List<SweepPoint> points) {
    public SweepManifest {
        sets = List.copyOf(sets);
        points = List.copyOf(points);
    }

    /** Every assignment of a point: the sweep's --set overrides, then the point's own. */
    public List<String> assignments(SweepPoint p) {
        List<String> all = new java.util.ArrayList<>(sets);
        all.addAll(p.assignments());
        return all;
    }
}
