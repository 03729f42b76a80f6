package org.sdex.core.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.sdex.spi.model.NetworkModel;

/**
 * The network as trained, built with {@link NetworkModel#defineForTraining} (dropout on) for a fixed
 * batch size, with the same loss, on the first graph's weight arrays ({@link SharedWeights}), which
 * the optimizer updates in place. Gradients come back under the same names.
 */
final class TrainingGraph {
    final long rows;
    final SameDiff g = SameDiff.create();

    TrainingGraph(ScoreNetwork net, NetworkModel model, DsmLoss loss, long rows) {
        this.rows = rows;
        SharedWeights shared = SharedWeights.install(g, net.weights());
        SDVariable x = g.placeHolder(ScoreNetwork.X, net.dataType(), net.batchShape(rows));
        SDVariable label = g.placeHolder(ScoreNetwork.LABEL, net.dataType(), rows);
        SDVariable out = net.classes() > 0 ? model.defineForTraining(g, x, label, ClassLabels.placeholder(g, rows))
                : model.defineForTraining(g, x, label);
        shared.finish(g, null);
        loss.attach(g, out, net.batchShape(rows), net.dataType());
    }
}
