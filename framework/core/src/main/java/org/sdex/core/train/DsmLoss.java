package org.sdex.core.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Denoising score matching on a network's noise prediction:
 * {@code loss = mean_b w_b reduce_d (eps_hat - z)^2}. The noise that was added, z, and the
 * per-example weights w are placeholders, so one graph serves plain and likelihood-weighted training.
 */
final class DsmLoss {
    static final String TARGET = "target_noise";
    static final String WEIGHT = "loss_weight";
    /** The loss variable, the same in every graph it is attached to. */
    static final String NAME = "dsm_loss";

    private final boolean reduceMean;

    /**
     * @param reduceMean average the squared error over data dimensions (else half the sum, as the
     *                   reference's {@code reduce_mean=False})
     */
    DsmLoss(boolean reduceMean) {
        this.reduceMean = reduceMean;
    }

    /** Attaches the loss to {@code out} for batches shaped {@code batchShape} (its first entry -1: any size). */
    void attach(SameDiff g, SDVariable out, long[] batchShape, DataType type) {
        long batch = batchShape[0];
        long exampleSize = 1;
        for (int i = 1; i < batchShape.length; i++) exampleSize *= batchShape[i];
        SDVariable target = g.placeHolder(TARGET, type, batchShape);
        SDVariable w = g.placeHolder(WEIGHT, type, batch);
        SDVariable diff = out.sub(target).reshape(batch, exampleSize);
        SDVariable sq = diff.mul(diff);
        SDVariable perExample = reduceMean ? sq.mean(1) : sq.sum(1).mul(0.5);
        perExample.mul(w).mean().rename(NAME);
        g.setLossVariables(NAME);
    }
}
