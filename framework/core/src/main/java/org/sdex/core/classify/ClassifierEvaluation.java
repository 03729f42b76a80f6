package org.sdex.core.classify;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/**
 * Held-out accuracy and cross-entropy of a classifier on a labelled split. A noise-conditional one
 * is judged at fixed times: each test image is diffused to x_t with noise from its own stream (the
 * same for every batch size and every evaluation), so numbers at different steps are comparable.
 */
public final class ClassifierEvaluation {
    /** The seed of the evaluation noise, fixed so that every run is judged on the same x_t. */
    static final long NOISE_SEED = 0x5DE7C1A55L;
    static final int BATCH = 250;

    private ClassifierEvaluation() {}

    /** Accuracy and mean cross-entropy (nats) over {@code examples} images, at time {@code t} (NaN for a clean classifier). */
    public record Score(double t, int examples, double accuracy, double crossEntropy) {}

    /**
     * The score on the first {@code limit} images of {@code split} (0 = all), the images diffused to
     * time t when the network is noise-conditional (t is then required, else ignored).
     */
    public static Score at(ClassifierNetwork net, LabelledSplit split, int limit, double t) {
        Sde sde = net.sde();
        int n = limit <= 0 ? split.size() : Math.min(limit, split.size());
        long correct = 0;
        double nll = 0;
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            INDArray x = split.images(from, count).castTo(net.dataType());
            if (sde != null) {
                INDArray z = Rng.rows(NOISE_SEED, from, count).normal(net.dataType(), x.shape());
                x = x.muli(sde.meanScale(t)).addi(z.muli(sde.marginalStd(t)));
            }
            double[][] logits = net.logits(x, sde == null ? 0 : t).castTo(DataType.DOUBLE).toDoubleMatrix();
            int[] labels = split.labels(from, count);
            for (int i = 0; i < count; i++) {
                double[] row = logits[i];
                int best = 0;
                double max = row[0];
                for (int k = 1; k < row.length; k++) {
                    if (row[k] > max) {
                        max = row[k];
                        best = k;
                    }
                }
                double sum = 0;
                for (double v : row) sum += Math.exp(v - max);
                nll += max + Math.log(sum) - row[labels[i]];
                if (best == labels[i]) correct++;
            }
        }
        return new Score(sde == null ? Double.NaN : t, n, (double) correct / n, nll / n);
    }

    /**
     * A noise-conditional classifier's score in each of {@code bins} equal bins of t over [eps, T],
     * at the bins' centres; a clean classifier's one score.
     */
    public static List<Score> byNoiseLevel(ClassifierNetwork net, LabelledSplit split, int limit, int bins, double eps) {
        Sde sde = net.sde();
        if (sde == null) return List.of(at(net, split, limit, 0));
        List<Score> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) out.add(at(net, split, limit, eps + (b + 0.5) * (sde.T() - eps) / bins));
        return out;
    }

    /** The mean accuracy of scores (over the bins of t). */
    public static double meanAccuracy(List<Score> scores) {
        return scores.stream().mapToDouble(Score::accuracy).average().orElse(Double.NaN);
    }
}
