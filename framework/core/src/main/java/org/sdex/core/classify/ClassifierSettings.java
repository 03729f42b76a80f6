package org.sdex.core.classify;

import java.util.List;
import java.util.Set;
import org.sdex.core.error.SdexException;

/**
 * How a classifier is built and trained: the network's stage channels and feature width; Adam's
 * learning rate with a linear warm-up, global-norm clipping and the EMA decay of the weights that
 * are evaluated and used (0: the trained weights themselves); the batch size, steps and seed; the
 * smallest time {@code eps} of the noise levels drawn uniformly in [eps, T] for a noise-conditional
 * classifier and the number of equal bins of t its held-out accuracy is reported in; and the
 * bookkeeping intervals (a held-out evaluation on the first {@code evalExamples} test images, 0 =
 * all; the final evaluation always uses the whole test split).
 */
public record ClassifierSettings(List<Integer> channels, int features, int steps, int batchSize, double lr, int warmup,
                                 double gradClip, double emaDecay, long seed, double eps, int noiseBins,
                                 int logEvery, int evalEvery, int evalExamples, int checkpointEvery) {
    /** Settings that change neither the network nor the sequence of losses up to a step. */
    static final Set<String> BOOKKEEPING = Set.of("steps", "logEvery", "evalEvery", "evalExamples", "checkpointEvery");

    public ClassifierSettings {
        channels = List.copyOf(channels);
        check(!channels.isEmpty() && channels.stream().allMatch(c -> c >= 1), "channels", channels,
                "a list of integers >= 1, e.g. [32, 64, 128]");
        check(features >= 1, "features", features, "an integer >= 1");
        check(steps >= 1, "steps", steps, "an integer >= 1");
        check(batchSize >= 1, "batchSize", batchSize, "an integer >= 1");
        check(lr > 0 && Double.isFinite(lr), "lr", lr, "a number > 0");
        check(warmup >= 0, "warmup", warmup, "an integer >= 0");
        check(gradClip >= 0 && Double.isFinite(gradClip), "gradClip", gradClip, "a number >= 0 (0: no clipping)");
        check(emaDecay >= 0 && emaDecay < 1, "emaDecay", emaDecay, "a number in [0, 1) (0: no average)");
        check(eps > 0 && eps < 1, "eps", eps, "a number in (0, 1)");
        check(noiseBins >= 1, "noiseBins", noiseBins, "an integer >= 1");
        check(logEvery >= 1, "logEvery", logEvery, "an integer >= 1");
        check(evalEvery >= 1, "evalEvery", evalEvery, "an integer >= 1");
        check(evalExamples >= 0, "evalExamples", evalExamples, "an integer >= 0 (0: the whole test split)");
        check(checkpointEvery >= 1, "checkpointEvery", checkpointEvery, "an integer >= 1");
    }

    private static void check(boolean ok, String name, Object value, String accepted) {
        if (!ok) throw new SdexException("classifier setting " + name + " = " + value + ": must be " + accepted);
    }

    /** Three stages of 32, 64, 128 channels and 128 features; Adam 2e-3 with 200 warm-up steps, clipping at 1, EMA 0.999. */
    public static ClassifierSettings defaults() {
        return new ClassifierSettings(List.of(32, 64, 128), 128, 2000, 128, 2e-3, 200, 1.0, 0.999, 0, 1e-5, 5,
                50, 500, 2000, 500);
    }

    public ClassifierSettings withSteps(int n) {
        return new ClassifierSettings(channels, features, n, batchSize, lr, warmup, gradClip, emaDecay, seed, eps, noiseBins,
                logEvery, evalEvery, evalExamples, checkpointEvery);
    }

    public ClassifierSettings withSeed(long s) {
        return new ClassifierSettings(channels, features, steps, batchSize, lr, warmup, gradClip, emaDecay, s, eps, noiseBins,
                logEvery, evalEvery, evalExamples, checkpointEvery);
    }

    public ClassifierSettings withBatchSize(int b) {
        return new ClassifierSettings(channels, features, steps, b, lr, warmup, gradClip, emaDecay, seed, eps, noiseBins,
                logEvery, evalEvery, evalExamples, checkpointEvery);
    }

    public ClassifierSettings withLearningRate(double rate, int warmupSteps) {
        return new ClassifierSettings(channels, features, steps, batchSize, rate, warmupSteps, gradClip, emaDecay, seed, eps,
                noiseBins, logEvery, evalEvery, evalExamples, checkpointEvery);
    }

    public ClassifierSettings withNetwork(List<Integer> stageChannels, int featureWidth) {
        return new ClassifierSettings(stageChannels, featureWidth, steps, batchSize, lr, warmup, gradClip, emaDecay, seed, eps,
                noiseBins, logEvery, evalEvery, evalExamples, checkpointEvery);
    }

    public ClassifierSettings withEmaDecay(double decay) {
        return new ClassifierSettings(channels, features, steps, batchSize, lr, warmup, gradClip, decay, seed, eps, noiseBins,
                logEvery, evalEvery, evalExamples, checkpointEvery);
    }

    public ClassifierSettings withIntervals(int log, int eval, int evalRows, int checkpoint) {
        return new ClassifierSettings(channels, features, steps, batchSize, lr, warmup, gradClip, emaDecay, seed, eps, noiseBins,
                log, eval, evalRows, checkpoint);
    }

    /** The network these settings build for images of {@code exampleShape} and {@code classes} classes. */
    public ClassifierArchitecture architecture(long[] exampleShape, int classes, boolean noiseConditional) {
        return new ClassifierArchitecture(exampleShape, classes, channels.stream().mapToInt(Integer::intValue).toArray(),
                features, noiseConditional);
    }
}
