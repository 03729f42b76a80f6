package org.sdex.core.sample;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ScoreFunction;

/** Counts score evaluations (one per call, whatever the batch size): the NFE of a sampler. */
public final class CountingScore implements ScoreFunction {
    private final ScoreFunction inner;
    private final AtomicLong calls = new AtomicLong();

    public CountingScore(ScoreFunction inner) { this.inner = inner; }

    @Override
    public INDArray score(INDArray x, double t) {
        calls.incrementAndGet();
        return inner.score(x, t);
    }

    public long calls() { return calls.get(); }

    public void reset() { calls.set(0); }
}
