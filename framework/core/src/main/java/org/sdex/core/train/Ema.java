package org.sdex.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of the weights, as the reference's ExponentialMovingAverage with
 * num_updates: the n-th update (1-based) uses decay {@code min(decay, (1 + n) / (10 + n))}, so the
 * average is not dominated by the random initialisation early on. Samples are drawn with these
 * weights.
 */
public final class Ema {
    private final double decay;
    private final Map<String, INDArray> shadow = new LinkedHashMap<>();
    private final Map<String, INDArray> scratch = new LinkedHashMap<>();
    private long updates;

    /** Starts as a copy of {@code weights}. */
    public Ema(double decay, Map<String, INDArray> weights) {
        this.decay = decay;
        weights.forEach((k, w) -> {
            shadow.put(k, w.dup());
            scratch.put(k, w.ulike());
        });
    }

    /** The decay used by the {@code n}-th update (1-based). */
    public static double effectiveDecay(double decay, long n) {
        return Math.min(decay, (1.0 + n) / (10.0 + n));
    }

    public double decay() { return decay; }

    /** shadow -= (1 - d) (shadow - w). */
    public void update(Map<String, INDArray> weights) {
        updates++;
        double oneMinus = 1 - effectiveDecay(decay, updates);
        for (Map.Entry<String, INDArray> e : shadow.entrySet()) {
            INDArray s = e.getValue();
            INDArray tmp = scratch.get(e.getKey());
            s.subi(s.sub(weights.get(e.getKey()), tmp).muli(oneMinus));
        }
    }

    /** The averaged weights by name (live arrays). */
    public Map<String, INDArray> weights() { return Collections.unmodifiableMap(shadow); }

    /** Number of updates so far (the reference's num_updates). */
    public long updates() { return updates; }

    /** Restores the state saved in a checkpoint. */
    public void restore(long updates, Map<String, INDArray> values) {
        this.updates = updates;
        shadow.forEach((k, a) -> a.assign(values.get(k)));
    }
}
