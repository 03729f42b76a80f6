package org.sdex.bench;

import java.util.Locale;

/**
 * One row of the table: a measurement timed on both sides in turns, shown as milliseconds per run
 * or, for the throughput rows, as a rate ({@code rateScale / ms}, e.g. steps per second), with the
 * time ratio and each side's achieved share of the machine's sgemm peak ({@code flops} per run,
 * counted in PyTorch's dispatcher).
 */
record ComparisonRow(String config, String what, Alternation.Result timed, double flops, double rateScale) {

    static ComparisonRow millis(String config, String what, Alternation.Result timed, double flops) {
        return new ComparisonRow(config, what + ", ms", timed, flops, 0);
    }

    double ratio() { return timed.sdex().median() / timed.pytorch().median(); }

    /** Achieved GFLOP/s at the median time over {@code peakGflops}. */
    static double share(double flops, RunStats s, double peakGflops) {
        return flops / (s.median() * 1e6) / peakGflops;
    }

    String markdown(double peakGflops) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %s | %s |%n", config, what,
                value(timed.sdex()), value(timed.pytorch()), ratio(), flops > 0 ? String.format(Locale.ROOT, "%.2f", flops / 1e9) : "",
                flops > 0 ? percent(share(flops, timed.sdex(), peakGflops)) : "", flops > 0 ? percent(share(flops, timed.pytorch(), peakGflops)) : "");
    }

    /** The median with the range of the runs: for a rate, the fastest run gives the largest value. */
    private String value(RunStats s) {
        if (rateScale == 0) return String.format(Locale.ROOT, "%s (%s–%s)", number(s.median()), number(s.min()), number(s.max()));
        return String.format(Locale.ROOT, "%s (%s–%s)", number(rateScale / s.median()), number(rateScale / s.max()), number(rateScale / s.min()));
    }

    private static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String percent(double share) { return String.format(Locale.ROOT, "%.0f%%", 100 * share); }
}
