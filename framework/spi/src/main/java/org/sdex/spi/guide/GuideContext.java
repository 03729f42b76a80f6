package org.sdex.spi.guide;

import org.sdex.spi.sde.Sde;

/**
 * What a guide is built with: the SDE, the shape of one example, what the run provides of the
 * things a guide may need ({@link GuideNeed}): the measurement, the labels of the samples, a
 * noise-conditional classifier; and the sampler's time grid, for guides whose method is defined per
 * step of a sampler. Absent parts are null; the kernel has checked the declared needs.
 *
 * @param labels one label per sample of the draw, or a single label for all of them
 * @param steps  the sampler's number of steps from T to eps (0: not known, e.g. an adaptive ODE solver chooses them)
 * @param eps    the sampler's final time
 */
public record GuideContext(Sde sde, long[] exampleShape, Measurement measurement, int[] labels, NoisyClassifier classifier,
                           int steps, double eps) {

    /** A context without the sampler's time grid. */
    public GuideContext(Sde sde, long[] exampleShape, Measurement measurement, int[] labels, NoisyClassifier classifier) {
        this(sde, exampleShape, measurement, labels, classifier, 0, 0);
    }

    /** The same context for a sampler of {@code steps} steps from T to {@code eps}. */
    public GuideContext sampledWith(int steps, double eps) {
        return new GuideContext(sde, exampleShape, measurement, labels, classifier, steps, eps);
    }

    /** The sampler's step in t, (T - eps) / steps (the mean step where its grid is not uniform); NaN when not known. */
    public double stepLength() { return steps > 0 ? (sde.T() - eps) / steps : Double.NaN; }

    /** The label of example {@code i} of the draw. */
    public int label(long i) { return labels.length == 1 ? labels[0] : labels[Math.toIntExact(i)]; }

    /** The labels of examples {@code [first, first + count)}. */
    public int[] labels(long first, int count) {
        int[] out = new int[count];
        for (int i = 0; i < out.length; i++) out[i] = label(first + i);
        return out;
    }
}
