package org.sdex.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.sde.Sde;

/**
 * The score of a network that predicts the noise: {@code -eps_hat(x, label(t)) / sigma(t)}, the
 * label being the SDE's noise label at t for the whole batch. The preconditioning lives here, not
 * in architectures, which stay SDE-agnostic. Its {@link #vjp} is {@code v^T ∂score/∂x} through the
 * network's input VJP. Always with the network's current weights; arrays of x's dtype.
 */
record PreconditionedScore(ScoreNetwork net, Sde sde) implements DifferentiableScore {
    @Override
    public INDArray score(INDArray x, double t) {
        return score(x, t, null);
    }

    /** The score given each row's class (INT32 [B]; null: the null label of a class-conditional network). */
    INDArray score(INDArray x, double t, INDArray classLabels) {
        INDArray eps = net.predictNoise(x, labels(x, t), classLabels);
        return eps.muli(-1.0 / sde.marginalStd(t)).castTo(x.dataType());
    }

    @Override
    public INDArray vjp(INDArray x, double t, INDArray v) {
        return net.inputVjp(x, labels(x, t), v).muli(-1.0 / sde.marginalStd(t)).castTo(x.dataType());
    }

    private INDArray labels(INDArray x, double t) {
        return Nd4j.valueArrayOf(new long[] {x.size(0)}, sde.noiseLabel().value(sde, t), net.dataType());
    }
}
