package org.sdex.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.api.Test;

/**
 * A bar that starts mid-way (a resumed run) starts there: the progress bar computes its rate as
 * (current - start) / time since it started and its ETA from the same count, so a resumed run's
 * restored steps must be its start, not steps it made.
 */
class ProgressTest {
    /** Renders nowhere. */
    private static final ProgressBarConsumer NOWHERE = new ProgressBarConsumer() {
        @Override public int getMaxRenderedLength() { return 120; }

        @Override public void accept(String rendered) {}

        @Override public void close() {}
    };

    @Test
    void aResumedBarCountsOnlyThisSessionsSteps() {
        try (ProgressBar bar = Progress.builder("train", 4000, 2540).setConsumer(NOWHERE).build()) {
            assertThat(bar.getStart()).isEqualTo(2540);
            assertThat(bar.getCurrent()).isEqualTo(2540);
            assertThat(bar.getElapsedBeforeStart()).isEqualTo(Duration.ZERO);
            bar.stepTo(2584);
            assertThat(bar.getCurrent() - bar.getStart()).isEqualTo(44); // what rate and ETA divide by
            assertThat(bar.getMax()).isEqualTo(4000);
        }
        // the negative control: a bar from 0 stepped to the restored step counts 2540 steps as this session's
        try (ProgressBar bar = Progress.builder("train", 4000, 0).setConsumer(NOWHERE).build()) {
            bar.stepTo(2540);
            bar.stepTo(2584);
            assertThat(bar.getCurrent() - bar.getStart()).isEqualTo(2584);
        }
    }

    @Test
    void aDisabledBarIsNothing() {
        try (Progress p = Progress.start("train", 10, 5, false)) {
            p.stepTo(7);
            p.message("loss 1");
        }
    }
}
