package org.sdex.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.memory.GraphPass;
import org.sdex.spi.model.NetworkModel;

/**
 * {@code v^T ∂eps_hat(x, label)/∂x}: the network on a <em>variable</em> input and the loss
 * {@code sum(eps_hat * v)}, whose gradient with respect to that input is the VJP. SameDiff cannot
 * take it on the first graph: its input is a placeholder, and in 1.0.0-M2.1 a gradient with
 * respect to a placeholder grows memory without bound. The input's array is overwritten in place
 * on every pass (reallocated only when the number of rows changes); the weights are constants that
 * are the first graph's live arrays ({@link SharedWeights}), so the product always uses the current
 * (e.g. EMA) weights, and as constants they get no gradient ops.
 */
final class InputVjpGraph implements GraphPass {
    static final String X = "vjp_x";
    static final String V = "vjp_v";

    private final ScoreNetwork net;
    private final SameDiff g = SameDiff.create();
    /** The array the graph reads as its input (the holder's own), overwritten in place. */
    private INDArray input;

    InputVjpGraph(ScoreNetwork net, NetworkModel model, long rows) {
        this.net = net;
        g.setConstantArrays(new SingleThreadArrayHolder()); // holds the arrays given, no copies
        SharedWeights shared = SharedWeights.install(g, net.weights());
        SDVariable xv = g.var(X, Nd4j.zeros(net.dataType(), net.batchShape(rows)));
        SDVariable label = g.placeHolder(ScoreNetwork.LABEL, net.dataType(), -1);
        SDVariable v = g.placeHolder(V, net.dataType(), net.batchShape(-1));
        SDVariable out = net.classes() > 0 ? model.define(g, xv, label, ClassLabels.placeholder(g, -1)) : model.define(g, xv, label);
        shared.finish(g, X);
        g.setLossVariables(out.mul(v).sum().rename("vjp_loss").name());
        List<SDVariable> weights = new ArrayList<>();
        for (String n : net.weightNames()) weights.add(g.getVariable(n));
        g.convertToConstants(weights);
        input = g.getVariable(X).getArr();
    }

    @Override public String kind() { return "vjp"; }

    @Override public boolean gradient() { return true; }

    @Override public SameDiff graph(long rows) { return g; }

    /** Writes x into the input variable; the labels (noise and class) and v are placeholders. */
    @Override
    public Map<String, INDArray> feed(SameDiff graph, Map<String, INDArray> inputs) {
        INDArray x = inputs.get(X);
        long rows = x.size(0);
        if (input.size(0) != rows) {
            g.getVariable(X).setArray(Nd4j.zeros(net.dataType(), net.batchShape(rows)));
            input = g.getVariable(X).getArr();
        }
        input.assign(x.castTo(net.dataType()).reshape(input.shape()));
        Map<String, INDArray> feed = new java.util.HashMap<>();
        feed.put(ScoreNetwork.LABEL, inputs.get(ScoreNetwork.LABEL).reshape(rows).castTo(net.dataType()));
        feed.put(V, inputs.get(V).reshape(net.batchShape(rows)).castTo(net.dataType()));
        if (inputs.containsKey(ClassLabels.NAME)) feed.put(ClassLabels.NAME, inputs.get(ClassLabels.NAME));
        return feed;
    }

    @Override
    public Map<String, String> results(SameDiff graph) {
        return Map.of(X, g.getVariable(X).getGradient().name());
    }

    @Override
    public Map<String, INDArray> execute(SameDiff graph, Map<String, INDArray> feed) {
        return Map.of(g.getVariable(X).getGradient().name(), g.calculateGradients(feed, X).get(X));
    }
}
