package org.sdex.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.TrainSettings;
import org.sdex.spi.Params;

/**
 * The settings of an experiment that decide how fast it trains and samples, for the throughput rows
 * of {@code sdex bench network}: sdex runs them through its own {@code Trainer} and {@code Sampler},
 * the PyTorch script through the reference's training loop (losses.py, optimization_manager, EMA) and
 * Euler-Maruyama sampler on the same network.
 */
record UserWorkload(String experiment, String sde, double betaMin, double betaMax, int trainBatch, double lr, int warmup,
                    double gradClip, double ema, double trainEps, int samplingSteps, int samplingBatch, double samplingEps) {

    /** experiments/fashion_subvp.groovy (its network is the {@code cpu} config; train.eps is the default). */
    static final UserWorkload FASHION_SUBVP = new UserWorkload("fashion_subvp", "subvp", 0.1, 20, 32, 1e-3, 100, 1.0, 0.999, 1e-5,
            250, 64, 1e-3);

    Map<String, Object> sdeParams() { return Map.of("betaMin", betaMin, "betaMax", betaMax); }

    /** {@code steps} training iterations with reduce_mean, no likelihood weighting, no checkpoints or event files. */
    TrainSettings trainSettings(int steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("batchSize", trainBatch);
        m.put("lr", lr);
        m.put("warmup", warmup);
        m.put("gradClip", gradClip);
        m.put("ema", ema);
        m.put("eps", trainEps);
        m.put("tensorboard", false);
        m.put("seed", 7);
        return TrainSettings.from(Params.of("train", org.sdex.core.vocabulary.Vocabulary.TRAIN.settings(), m));
    }

    /** {@code steps} Euler-Maruyama steps of one batch, denoised last step. */
    SampleSettings sampleSettings(int steps) {
        return new SampleSettings(steps, samplingBatch, samplingBatch, samplingEps, true, false, false, 1);
    }

    /** The PyTorch script's request for {@code steps} training iterations. */
    Map<String, Object> torchTraining(int steps) {
        Map<String, Object> r = torchRequest("training", steps, trainBatch, trainEps);
        r.putAll(Map.of("lr", lr, "warmup", warmup, "gradClip", gradClip, "ema", ema));
        return r;
    }

    /** The PyTorch script's request for a sampling run of {@code steps} steps. */
    Map<String, Object> torchSampling(int steps) {
        return torchRequest("sampling", steps, samplingBatch, samplingEps);
    }

    private Map<String, Object> torchRequest(String what, int steps, int batch, double eps) {
        Map<String, Object> r = new LinkedHashMap<>(Map.of("cmd", "time", "what", what, "steps", steps, "batch", batch, "eps", eps));
        r.put("sde", sde);
        r.putAll(sdeParams());
        return r;
    }
}
