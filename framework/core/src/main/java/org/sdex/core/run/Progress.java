package org.sdex.core.run;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr (steps, rate, ETA and a message such as the loss), or nothing when disabled. */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) { this.bar = bar; }

    public static Progress start(String task, long max, boolean enabled) {
        if (!enabled) return new Progress(null);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress(bar);
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
