package org.sdex.core.memory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the passes of one network: the single entry point of the performance machinery. Each pass
 * is recorded, planned, replayed and recycled by one {@link PassMemory} shared by all of the
 * network's graphs:
 * <ol>
 *   <li>the first pass of a kind runs on the batch's first row, so that its plan (when each array
 *       is last read) is learnt cheaply, and its arrays are closed right after it: a pass without a
 *       plan holds all of its arrays (520 MB for the CIFAR config's training step even at one row);</li>
 *   <li>a pass of a kind and input shapes already recorded is replayed ({@link ReplayedPass}), any
 *       other runs through SameDiff with arrays from the pool, returned after their last reader;</li>
 *   <li>the pass's arrays go back to the pool once its results have been used, and dead native
 *       memory is collected when due ({@link NativeMemory}).</li>
 * </ol>
 * Replays and passes through SameDiff give the same results bit for bit.
 */
public final class PassRunner implements AutoCloseable {
    private final PassMemory memory = new PassMemory();

    /**
     * One pass of {@code pass} on {@code inputs} (arrays of the same number of rows), its results by
     * name handed to {@code use}. The results are the pass's own arrays, valid only inside
     * {@code use} (the next pass overwrites them), which may modify them.
     */
    public synchronized <R> R run(GraphPass pass, Map<String, INDArray> inputs, Function<Map<String, INDArray>, R> use) {
        if (!memory.knows(pass.kind()) && rows(inputs) > 1) {
            once(pass, firstRows(inputs), r -> null);
            memory.closeUnpinned();
        }
        R result = once(pass, inputs, use);
        NativeMemory.collectIfDue();
        return result;
    }

    private <R> R once(GraphPass pass, Map<String, INDArray> inputs, Function<Map<String, INDArray>, R> use) {
        SameDiff g = pass.graph(rows(inputs));
        Map<String, INDArray> feed = pass.feed(g, inputs);
        Map<String, INDArray> replayed = memory.replay(pass.kind(), feed);
        if (replayed != null) return use.apply(byResult(pass.results(g), replayed));
        memory.beginPass(g, pass.kind(), pass.gradient(), () -> new HashSet<>(pass.results(g).values()), feed);
        Map<String, INDArray> out = pass.execute(g, feed);
        try {
            return use.apply(byResult(pass.results(g), out));
        } finally {
            memory.recycle(); // the pass's arrays are handed out again on the next pass
        }
    }

    private static Map<String, INDArray> byResult(Map<String, String> results, Map<String, INDArray> byVariable) {
        Map<String, INDArray> out = new HashMap<>();
        results.forEach((name, variable) -> out.put(name, byVariable.get(variable)));
        return out;
    }

    private static long rows(Map<String, INDArray> inputs) {
        return inputs.values().iterator().next().size(0);
    }

    /** Row 0 of every input, as a batch of one. */
    private static Map<String, INDArray> firstRows(Map<String, INDArray> inputs) {
        Map<String, INDArray> out = new HashMap<>();
        inputs.forEach((name, a) -> {
            long[] shape = a.shape().clone();
            shape[0] = 1;
            out.put(name, a.reshape(a.size(0), -1).getRow(0).dup().reshape(shape));
        });
        return out;
    }

    /** The arrays reused between passes (for tests and benchmarks). */
    public PassMemory memory() { return memory; }

    /** Frees the passes' native memory now: the pooled arrays and the replays. */
    @Override
    public synchronized void close() { memory.close(); }
}
