package org.sdex.core.sample;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ScoreFunction;

/**
 * Counts score evaluations (one per call, whatever the batch size): the NFE of a sampler. An input
 * VJP and a class-conditional evaluation count as one evaluation each (a DPS step costs two). It
 * offers the capabilities of every score kind so that a guide can use the one it declared; the
 * kernel checks beforehand that the wrapped score has it ({@link GuidedSampling#unsupported}).
 */
public final class CountingScore implements DifferentiableScore, ConditionalScore {
    private final ScoreFunction inner;
    private final AtomicLong calls = new AtomicLong();

    public CountingScore(ScoreFunction inner) { this.inner = inner; }

    @Override
    public INDArray score(INDArray x, double t) {
        calls.incrementAndGet();
        return inner.score(x, t);
    }

    @Override
    public INDArray vjp(INDArray x, double t, INDArray v) {
        calls.incrementAndGet();
        return as(DifferentiableScore.class).vjp(x, t, v);
    }

    @Override
    public INDArray score(INDArray x, double t, int[] labels) {
        calls.incrementAndGet();
        return as(ConditionalScore.class).score(x, t, labels);
    }

    @Override
    public int classes() { return as(ConditionalScore.class).classes(); }

    public long calls() { return calls.get(); }

    public void reset() { calls.set(0); }

    private <T> T as(Class<T> kind) {
        if (!kind.isInstance(inner)) {
            throw new IllegalStateException("the score is not a " + kind.getSimpleName() + " (a guide used what it did not declare)");
        }
        return kind.cast(inner);
    }
}
