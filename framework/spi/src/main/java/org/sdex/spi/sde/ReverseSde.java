package org.sdex.spi.sde;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ScoreFunction;

/**
 * The reverse-time SDE {@code dx = [f x - g^2 s(x,t)] dt + g dW̄} (Anderson 1982), or with
 * {@code probabilityFlow} its probability-flow ODE {@code dx = [f x - g^2 s / 2] dt} (Song et al. 2021, Eq. 13).
 * Also gives the reverse of the N-step discretisation, used by the reverse-diffusion predictor.
 */
public final class ReverseSde {
    private final Sde sde;
    private final ScoreFunction score;
    private final boolean probabilityFlow;

    public ReverseSde(Sde sde, ScoreFunction score, boolean probabilityFlow) {
        this.sde = sde;
        this.score = score;
        this.probabilityFlow = probabilityFlow;
    }

    public Sde sde() { return sde; }

    public ScoreFunction score() { return score; }

    public boolean probabilityFlow() { return probabilityFlow; }

    /** Reverse drift at (x, t); evaluates the score once. */
    public INDArray drift(INDArray x, double t) {
        double g = sde.diffusion(t);
        double w = probabilityFlow ? 0.5 : 1.0;
        INDArray s = score.score(x, t);
        return sde.drift(x, t).subi(s.muli(g * g * w));
    }

    /** Reverse diffusion coefficient: g(t), or 0 for the probability-flow ODE. */
    public double diffusion(double t) { return probabilityFlow ? 0.0 : sde.diffusion(t); }

    /**
     * Reverse of the discretised forward step at t: returns {@code rev_f} (to subtract from x) and
     * the noise scale; {@code rev_f = f x - G^2 s (x,t) (1/2 for the ODE)}. Evaluates the score once.
     */
    public Step discretized(INDArray x, double t, int n) {
        Discretization d = sde.discretize(t, n);
        double w = probabilityFlow ? 0.5 : 1.0;
        INDArray s = score.score(x, t);
        INDArray revF = x.mul(d.driftScale()).subi(s.muli(d.noiseScale() * d.noiseScale() * w));
        return new Step(revF, probabilityFlow ? 0.0 : d.noiseScale());
    }

    /** A discretised reverse step's drift increment and noise scale. */
    public record Step(INDArray drift, double noiseScale) {}
}
