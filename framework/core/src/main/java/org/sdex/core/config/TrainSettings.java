package org.sdex.core.config;

import org.sdex.spi.Params;

/**
 * The {@code train} block: continuous denoising score matching (Song et al. 2021, Eq. 7) with Adam,
 * linear learning-rate warm-up, global-norm gradient clipping and an EMA of the weights.
 * Defaults follow the reference's configs where one exists. The settings, their defaults and
 * ranges are declared in {@link org.sdex.core.vocabulary.Vocabulary#TRAIN}; a component per setting.
 */
public record TrainSettings(int steps, int batchSize, double lr, int warmup, double gradClip, double ema,
                            boolean reduceMean, boolean likelihoodWeighting, double eps,
                            int checkpointEvery, int keepCheckpoints, int logEvery,
                            double beta1, double beta2, double adamEps, double weightDecay, double labelDropout, int seed,
                            int evalEvery, int evalBatches, int sampleEvery, int sampleGrid, boolean tensorboard,
                            String lrDecay) {
    public static TrainSettings from(Params p) {
        return SettingsBinding.bind(TrainSettings.class, p);
    }
}
