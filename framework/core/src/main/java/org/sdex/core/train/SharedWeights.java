package org.sdex.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.ArrayHolder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A second graph of a network (the training graph with dropout, the input-VJP graph) built on the
 * first graph's weight arrays themselves. While the model defines the network again, this holder
 * of the graph's variables keeps, for every weight the model creates, the first graph's array
 * instead of the freshly initialised one, which is closed. So no graph holds a copy of the weights
 * (SameDiff's default holder copies every array it is given, per thread: two more 247 MB copies
 * for the CIFAR config), and training, which updates the weights in place, reaches every graph.
 * The model is not involved: it creates its weights as it always does.
 */
final class SharedWeights implements ArrayHolder {
    private final Map<String, INDArray> live;
    private final ArrayHolder held = new SingleThreadArrayHolder();
    /** The initial values the model made for the weights, closed once the build is over. */
    private final List<INDArray> initial = new ArrayList<>();

    private SharedWeights(Map<String, INDArray> live) {
        this.live = live;
    }

    /** Installs the holder on the empty graph {@code g}; {@code live} are the first graph's weights by name, sorted. */
    static SharedWeights install(SameDiff g, Map<String, INDArray> live) {
        SharedWeights holder = new SharedWeights(live);
        g.setVariablesArrays(holder);
        return holder;
    }

    /**
     * The network is defined: fails unless it created exactly the first graph's weights (besides
     * the variable {@code except}, or null); then leaves {@code g} a holder that keeps the arrays
     * it is given, and closes the initial values.
     */
    void finish(SameDiff g, String except) {
        List<String> made = weightNames(g, except);
        if (!made.equals(new ArrayList<>(live.keySet()))) {
            throw new IllegalStateException("the network defined different weights on a second build: " + made
                    + " vs " + live.keySet() + " (weights must be created with fixed names)");
        }
        ArrayHolder plain = new SingleThreadArrayHolder();
        plain.initFrom(held);
        g.setVariablesArrays(plain);
        for (INDArray a : initial) if (!a.wasClosed() && a.closeable()) a.close();
        initial.clear();
    }

    /**
     * The trainable variables of {@code g} but {@code except}, sorted, so iteration order (and the
     * rounding of sums over weights) never depends on SameDiff's maps.
     */
    static List<String> weightNames(SameDiff g, String except) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : g.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !v.name().equals(except)) names.add(v.name());
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public void setArray(String name, INDArray array) {
        INDArray weight = live.get(name);
        if (weight == null) {
            held.setArray(name, array);
            return;
        }
        if (!Arrays.equals(weight.shape(), array.shape())) {
            throw new IllegalStateException("weight '" + name + "' has a different shape on a second build: "
                    + Arrays.toString(array.shape()) + " vs " + Arrays.toString(weight.shape()));
        }
        if (array != weight) initial.add(array);
        held.setArray(name, weight);
    }

    @Override public boolean hasArray(String name) { return held.hasArray(name); }

    @Override public INDArray getArray(String name) { return held.getArray(name); }

    @Override public INDArray removeArray(String name) { return held.removeArray(name); }

    @Override public int size() { return held.size(); }

    @Override public void initFrom(ArrayHolder other) { held.initFrom(other); }

    @Override public Collection<String> arrayNames() { return held.arrayNames(); }

    @Override public void rename(String from, String to) { held.rename(from, to); }
}
