package org.sdex.spi.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A score network defined in SameDiff. The network predicts the noise: the kernel applies the
 * preconditioning {@code score = -output / sigma(t)} (as the reference does with scale_by_sigma and
 * for VP-type SDEs), so architectures stay independent of the SDE.
 */
public non-sealed interface NetworkModel extends Model {
    /**
     * Adds the network to {@code sd}. {@code x} has shape [B, data shape...] and {@code noiseLabel}
     * shape [B] (see {@link org.sdex.spi.sde.NoiseLabel}); returns an output of x's shape. Trainable
     * weights are created with {@code sd.var} under fixed names and initialised from the context's
     * seeded {@code Rng}, the same on every call: the kernel may define the network more than once
     * (a training graph, an input-VJP graph), and all of them compute with one set of weights.
     */
    SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel);

    /**
     * The network as trained, with its training-only layers (dropout): {@code x} has a fixed batch
     * size. It must create the same weights, by name and shape, as {@link #define}; the kernel
     * builds both graphs and keeps them in step. By default the same graph as {@link #define}.
     * Random training layers draw from ND4J's global generator, which the kernel seeds before
     * every step.
     */
    default SDVariable defineForTraining(SameDiff sd, SDVariable x, SDVariable noiseLabel) {
        return define(sd, x, noiseLabel);
    }

    /**
     * Number of classes the network is conditioned on; 0 (the default) for an unconditional network.
     * A class-conditional network is built with the four-argument {@link #define(SameDiff, SDVariable,
     * SDVariable, SDVariable)} instead, and the kernel feeds it each example's class.
     */
    default int classes() {
        return 0;
    }

    /**
     * The class-conditional network, for a model with {@link #classes()} > 0: as {@link #define} with
     * {@code classLabel} [B] (INT32), each example's class in [0, classes()], where {@code classes()}
     * itself is the null label (no class: the unconditional score of classifier-free guidance, which
     * the kernel trains by label dropout).
     */
    default SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel, SDVariable classLabel) {
        throw new IllegalStateException(getClass().getSimpleName() + " declares " + classes()
                + " classes but does not define a class-conditional network (define with a class label)");
    }

    /** As {@link #defineForTraining} with class labels; by default {@link #define(SameDiff, SDVariable, SDVariable, SDVariable)}. */
    default SDVariable defineForTraining(SameDiff sd, SDVariable x, SDVariable noiseLabel, SDVariable classLabel) {
        return define(sd, x, noiseLabel, classLabel);
    }

    /**
     * How weight {@code name} is laid out in the graph relative to the tensor of the same name in
     * the reference implementation: {@code stored = reference.permute(axes)}, or null when they are
     * the same (the default). A network whose weights are stored in another layout than the
     * reference's (convolution weights as [kh, kw, in, out] rather than PyTorch's [out, in, kh, kw])
     * says so here; the kernel converts where weights meet other implementations (npy export for
     * PyTorch, reference checkpoints). Asked after {@link #define}.
     */
    default int[] storedAxes(String name) {
        return null;
    }

    /** Whether {@link #defineForTraining} differs from {@link #define} (the kernel then builds a second graph). */
    default boolean trainsDifferently() {
        return false;
    }
}
