package org.sdex.core.config;

import org.sdex.spi.Params;

/**
 * The settings of the {@code sample} block, shared by its three ways of sampling (predictor-corrector
 * loop, probability-flow ODE, whole-trajectory solver; see {@link org.sdex.core.sample.SamplingMethod}):
 * steps from T down to eps, then optionally a final denoising step. Declared in
 * {@link org.sdex.core.vocabulary.Vocabulary#SAMPLE}; a component per setting.
 */
public record SampleSettings(int steps, int n, int batchSize, double eps, boolean denoise,
                             boolean probabilityFlow, boolean plot, int seed) {
    public static SampleSettings from(Params p) {
        return SettingsBinding.bind(SampleSettings.class, p);
    }

    /** The same settings drawing {@code count} samples (a condition block decides how many). */
    public SampleSettings withN(int count) {
        return new SampleSettings(steps, count, batchSize, eps, denoise, probabilityFlow, plot, seed);
    }

    public int effectiveBatch() { return batchSize == 0 ? n : Math.min(batchSize, n); }
}
