package org.sdex.core.config;

import org.sdex.spi.Params;

/**
 * The {@code evaluate} block: FID and KID of the run's samples against a split of the image data
 * set, on the features of the FID Inception-v3 or of an sdex classifier. Declared in
 * {@link org.sdex.core.vocabulary.Vocabulary#EVALUATE}; a component per setting.
 */
public record EvaluateSettings(String split, int n, String features, String checkpoint, String inception,
                               int batchSize, int kidSubsets, int kidSubsetSize, int seed) {
    public static EvaluateSettings from(Params p) {
        return SettingsBinding.bind(EvaluateSettings.class, p);
    }

    /** The split the baseline's real images come from: the other one, so they never overlap the reference. */
    public String baselineSplit() { return split.equals("test") ? "train" : "test"; }
}
