package org.sdex.plugins.models;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.Param;
import org.sdex.spi.random.Rng;

/**
 * The learned class embedding of a class-conditional network (classifier-free guidance, Ho and
 * Salimans 2022): a table of {@code classes + 1} rows, the last the null label the kernel trains by
 * label dropout, looked up by each example's class and added to the noise-level embedding, as the
 * class-conditional DDPM/ADM networks do (Dhariwal and Nichol 2021). Initial rows are N(0, 1), as a
 * PyTorch {@code nn.Embedding}'s, drawn from their own stream of the model's generator so that the
 * other weights start as they would in the same network without classes.
 */
public final class LabelEmbedding {
    /** The model parameter that makes a network class-conditional. */
    public static final Param CLASSES = Param.integer("classes", 0, "classes of a class-conditional network (a learned label"
            + " embedding added to the noise-level embedding, plus a null label for classifier-free guidance); 0 = unconditional").min(0);

    private static final long STREAM = 0x6C6162656CL;

    private LabelEmbedding() {}

    /**
     * The rows of {@code classLabel} [B] (INT32, in [0, classes]) in a table of {@code classes + 1}
     * rows of width {@code width}, the weight {@code name}: [B, width].
     */
    public static SDVariable lookup(SameDiff sd, String name, SDVariable classLabel, int classes, long width, DataType type,
                                    long[] modelRngState) {
        if (classes < 1) throw new IllegalArgumentException("a label embedding needs at least one class, got " + classes);
        Rng rng = Rng.fromState(modelRngState).fork(STREAM);
        SDVariable table = sd.var(name, rng.normal(type, classes + 1, width));
        // a one-hot product rather than a gather: SameDiff ran the gather's backward ops in another
        // order on every pass, so training steps were never replayed (several times slower)
        return sd.oneHot(classLabel, classes + 1, -1, 1.0, 0.0, type).mmul(table);
    }
}
