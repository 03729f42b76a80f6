package org.sdex.core.train;

import java.nio.file.Path;

/** Hears about training progress: every step's loss, and each checkpoint written. */
public interface TrainListener {
    /**
     * After each update. {@code gradNorm} is the global gradient norm before clipping, {@code lr}
     * the learning rate the update used. Throwing stops training (the exception propagates).
     */
    void onStep(int step, double loss, double lr, double gradNorm);

    default void onCheckpoint(int step, Path file) {}

    /**
     * Asked after each step (once its line is logged and any scheduled checkpoint written):
     * true makes the trainer write a checkpoint of this step and throw {@link TrainingStopped}.
     */
    default boolean stopAfter(int step) { return false; }
}
