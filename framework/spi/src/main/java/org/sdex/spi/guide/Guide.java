package org.sdex.spi.guide;

import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.StepHook;

/**
 * Controllable generation (Song et al. 2021, Sec. 5): steers an unconditional sampler towards
 * samples consistent with an observation or a label. A guide enters sampling at one point, whatever
 * the sampling way: the score every way follows ({@link #score}) and the hook every way runs after
 * its steps ({@link #hook}). The kernel asks for the guide of each batch ({@link #rows}), so example
 * i always sees observation i and label i whatever the batch size.
 */
public interface Guide {
    /** This guide for examples {@code [first, first + count)} of the draw (their observations and labels). */
    default Guide rows(long first, int count) { return this; }

    /**
     * The score to follow instead of the unconditional one. {@code unconditional} counts every
     * evaluation for the NFE and has the capabilities the plugin declared ({@link GuidePlugin#needs}):
     * cast it to {@link org.sdex.spi.model.DifferentiableScore} or {@link org.sdex.spi.model.ConditionalScore}.
     */
    default ScoreFunction score(ScoreFunction unconditional) { return unconditional; }

    /** What to do after every step ({@link StepHook#NONE} for guides that only change the score). */
    default StepHook hook() { return StepHook.NONE; }
}
