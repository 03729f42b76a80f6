package org.sdex.core.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.memory.GraphPass;

/**
 * A training step's pass: the {@link DsmLoss} of a graph and its gradient with respect to every
 * weight, returned under the loss's name and the weights' names.
 */
final class LossGradientPass implements GraphPass {
    private final String kind;
    private final LongFunction<SameDiff> graph;
    private final List<String> weights;
    private final Runnable before;

    /**
     * @param graph  the graph for a batch of so many rows
     * @param before run before every pass (seeds the generator of random layers)
     */
    LossGradientPass(String kind, LongFunction<SameDiff> graph, List<String> weights, Runnable before) {
        this.kind = kind;
        this.graph = graph;
        this.weights = weights;
        this.before = before;
    }

    @Override public String kind() { return kind; }

    @Override public boolean gradient() { return true; }

    @Override public SameDiff graph(long rows) { return graph.apply(rows); }

    @Override
    public Map<String, INDArray> feed(SameDiff g, Map<String, INDArray> inputs) {
        before.run();
        return inputs;
    }

    @Override
    public Map<String, String> results(SameDiff g) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put(DsmLoss.NAME, DsmLoss.NAME);
        for (String w : weights) r.put(w, g.getVariable(w).getGradient().name());
        return r;
    }

    @Override
    public Map<String, INDArray> execute(SameDiff g, Map<String, INDArray> feed) {
        OutAndGrad o = g.calculateGradientsAndOutputs(feed, List.of(DsmLoss.NAME), weights);
        Map<String, INDArray> byName = new HashMap<>();
        byName.put(DsmLoss.NAME, o.getOutputs().get(DsmLoss.NAME));
        for (String w : weights) byName.put(g.getVariable(w).getGradient().name(), o.getGradients().get(w));
        return byName;
    }
}
