package org.sdex.core.train;

import org.sdex.core.config.TrainSettings;
import org.sdex.spi.random.Rng;

/**
 * Everything training needs to continue exactly where it stopped: the step, the random stream
 * (batches, times and noise all come from it), Adam's moments and the EMA, plus the settings it
 * runs with. The weights themselves live in the {@link ScoreNetwork}. Made by
 * {@link Trainer#initialState()}; a checkpoint restores into it.
 */
public final class TrainingState {
    private final TrainSettings settings;
    private final Adam adam;
    private final Ema ema;
    private int step;
    private Rng rng;

    TrainingState(TrainSettings settings, int step, Rng rng, Adam adam, Ema ema) {
        this.settings = settings;
        this.step = step;
        this.rng = rng;
        this.adam = adam;
        this.ema = ema;
    }

    /** Number of completed training steps. */
    public int step() { return step; }

    public Rng rng() { return rng; }

    public Adam adam() { return adam; }

    public Ema ema() { return ema; }

    public TrainSettings settings() { return settings; }

    void advance(int step) { this.step = step; }

    /** Continues from a checkpoint's step and random stream (moments and EMA are restored on their objects). */
    public void resumeAt(int step, Rng rng) {
        this.step = step;
        this.rng = rng;
    }
}
