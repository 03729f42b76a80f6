package org.sdex.spi.guide;

import org.sdex.spi.sde.Sde;

/**
 * What a guide is built with: the SDE, the shape of one example, and what the run provides of
 * the things a guide may need ({@link GuideNeed}): the measurement, the labels of the samples, a
 * noise-conditional classifier. Absent parts are null; the kernel has checked the declared needs.
 *
 * @param labels one label per sample of the draw, or a single label for all of them
 */
public record GuideContext(Sde sde, long[] exampleShape, Measurement measurement, int[] labels, NoisyClassifier classifier) {

    /** The label of example {@code i} of the draw. */
    public int label(long i) { return labels.length == 1 ? labels[0] : labels[Math.toIntExact(i)]; }

    /** The labels of examples {@code [first, first + count)}. */
    public int[] labels(long first, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = label(first + i);
        return out;
    }
}
