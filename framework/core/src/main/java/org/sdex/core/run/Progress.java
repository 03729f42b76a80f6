package org.sdex.core.run;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr (steps, rate, ETA and a message such as the loss), or nothing when disabled. */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) { this.bar = bar; }

    public static Progress start(String task, long max, boolean enabled) {
        return start(task, max, 0, enabled);
    }

    /** A bar that starts at {@code initial} of {@code max} (a resumed run): rate and ETA count this session's steps only. */
    public static Progress start(String task, long max, long initial, boolean enabled) {
        if (!enabled) return new Progress(null);
        return new Progress(builder(task, max, initial).setConsumer(new ConsoleProgressBarConsumer(System.err)).build());
    }

    /** The bar's settings, for bars of other units (the downloader's bytes); starts at {@code initial} as above. */
    public static ProgressBarBuilder builder(String task, long max, long initial) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                // the bar's rate is (current - start) / time since the bar started: start where this session does
                .startsFrom(initial, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .showSpeed();
    }

    public void stepTo(long n) {
        if (bar != null) bar.stepTo(n);
    }

    public void message(String m) {
        // the bar ends with the rate ("73.2/s"): keep the message apart from it
        if (bar != null) bar.setExtraMessage(" | " + m);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
