package org.sdex.core.memory;

import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One kind of pass of a network (forward, training step, input VJP), described for the
 * {@link PassRunner}: which graph runs it, how its inputs reach the graph, what it returns and how
 * SameDiff computes it. The runner decides whether SameDiff runs it or a recording is replayed.
 */
public interface GraphPass {
    /** The name plans and replays are kept under: passes of one kind run the same ops. */
    String kind();

    /** Whether the pass runs through the graph's gradient function. */
    boolean gradient();

    /** The graph that runs a pass on {@code rows} rows (one graph for all sizes, unless its batch is fixed). */
    SameDiff graph(long rows);

    /**
     * The placeholder values of a pass on {@code inputs} (each [rows, ...]); also writes what the
     * graph reads besides its placeholders (an input held in a variable, the generator of random
     * layers). Called before every pass, replayed or not.
     */
    default Map<String, INDArray> feed(SameDiff g, Map<String, INDArray> inputs) { return inputs; }

    /** What the pass returns: for each result's name, the variable of {@code g} that holds it. */
    Map<String, String> results(SameDiff g);

    /** The pass through SameDiff's session: the values of the {@link #results} variables, by variable name. */
    Map<String, INDArray> execute(SameDiff g, Map<String, INDArray> feed);
}
