package org.sdex.core.run;

import java.util.Locale;

/** Durations as people read them in console lines: 8.1 s, 1 min 52 s, 2 h 05 min. */
public final class Durations {
    private Durations() {}

    public static String show(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
