package org.sdex.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times the two sides of one measurement in turns: a warm-up run of each, then sdex's run i,
 * PyTorch's run i, sdex's run i + 1, ... so that a slow drift of the machine (a thermal limit,
 * another process waking up) falls on both sides alike instead of on whichever ran later.
 */
final class Alternation {
    /** One timed run; {@code run} 0 is the warm-up. */
    record Run(Side side, int run, double millis) {}

    enum Side { SDEX, PYTORCH }

    /** One run of one side, timed by the caller: wall milliseconds. */
    @FunctionalInterface
    interface Timed {
        double millis() throws Exception;
    }

    /** The runs in the order they happened, and each side's statistics without the warm-ups. */
    record Result(List<Run> order, RunStats sdex, RunStats pytorch) {}

    private Alternation() {}

    static Result run(int runs, Timed sdex, Timed pytorch) throws Exception {
        if (runs < 1) throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        List<Run> order = new ArrayList<>();
        List<Double> mine = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            double a = sdex.millis();
            order.add(new Run(Side.SDEX, i, a));
            double b = pytorch.millis();
            order.add(new Run(Side.PYTORCH, i, b));
            if (i > 0) {
                mine.add(a);
                theirs.add(b);
            }
        }
        return new Result(List.copyOf(order), RunStats.of(mine), RunStats.of(theirs));
    }
}
