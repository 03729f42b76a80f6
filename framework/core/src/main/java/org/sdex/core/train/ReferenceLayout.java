package org.sdex.core.train;

import java.util.Arrays;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.NetworkModel;

/**
 * A network's weights in the reference implementation's layout (C order), where they meet other
 * implementations: npy exports for PyTorch, reference checkpoints. A network may store a weight
 * permuted ({@link NetworkModel#storedAxes}: convolution weights [kh, kw, in, out] for PyTorch's
 * [out, in, kh, kw]); this converts each way, one weight at a time (all of them at once would be
 * another copy of the network).
 */
final class ReferenceLayout {
    private final NetworkModel model;
    /** The live (stored) weight of a name, or null when the network has no such weight. */
    private final Function<String, INDArray> stored;

    ReferenceLayout(NetworkModel model, Function<String, INDArray> stored) {
        this.model = model;
        this.stored = stored;
    }

    /** A copy of weight {@code name} in the reference layout. */
    INDArray weight(String name) {
        INDArray w = live(name);
        int[] axes = model.storedAxes(name);
        return axes == null ? w.dup('c') : w.permute(inverse(axes)).dup('c');
    }

    /** The shape of weight {@code name} in the reference layout. */
    long[] shape(String name) {
        long[] s = live(name).shape();
        int[] axes = model.storedAxes(name);
        if (axes == null) return s;
        long[] ref = new long[s.length];
        for (int i = 0; i < axes.length; i++) ref[axes[i]] = s[i];
        return ref;
    }

    /** Sets weight {@code name} from an array in the reference layout: the inverse of {@link #weight}. */
    void load(String name, INDArray reference) {
        if (!Arrays.equals(shape(name), reference.shape())) {
            throw new IllegalArgumentException("weight '" + name + "' has shape " + Arrays.toString(shape(name))
                    + ", cannot load " + Arrays.toString(reference.shape()));
        }
        int[] axes = model.storedAxes(name);
        live(name).assign(axes == null ? reference : reference.permute(axes));
    }

    private INDArray live(String name) {
        INDArray w = stored.apply(name);
        if (w == null) throw new IllegalArgumentException("no weight '" + name + "'");
        return w;
    }

    /** The permutation that undoes {@code axes}. */
    private static int[] inverse(int[] axes) {
        int[] back = new int[axes.length];
        for (int i = 0; i < axes.length; i++) back[axes[i]] = i;
        return back;
    }
}
