package org.sdex.bench;

import java.util.ArrayList;
import java.util.List;

/** Timed runs of one measurement on one side: the median, and the range a reader should see as its noise. */
record RunStats(double median, double min, double max, int runs) {
    static RunStats of(List<Double> millis) {
        if (millis.isEmpty()) throw new IllegalArgumentException("no runs");
        List<Double> s = new ArrayList<>(millis);
        s.sort(null);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return new RunStats(median, s.get(0), s.get(n - 1), n);
    }
}
