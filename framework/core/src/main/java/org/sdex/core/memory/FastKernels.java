package org.sdex.core.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Faster native equivalents, for replayed passes, of ND4J 1.0.0-M2.1 kernels that are slow for what
 * they compute. Each is a short sequence of other native calls on the op's own arrays (and, where
 * needed, a scratch array of the replay's), equal to the original to float32 rounding
 * ({@code FastKernelsTest}). Measured on 2 shared AVX-512 cores:
 *
 * <ul>
 *   <li>{@code swish} and {@code _swishderivative} are scalar loops over {@code exp} (1.35 and 3.0 ms
 *       on 401,408 floats); through the identity {@code sigmoid(x) = (1 + tanh(x/2)) / 2} they use
 *       oneDNN's vectorised {@code tanh} / {@code tanh_bp} plus a few streaming arithmetic passes
 *       (0.6 and 1.2 ms).
 *   <li>{@code multiply_bp} with one broadcast operand (GroupNorm's per-channel scale) takes 37–54 ms
 *       on [32, 64, 784] × [32, 64, 1]; the same gradients as a broadcast {@code multiply}, a
 *       pairwise product and a sum over the broadcast axes take 1.5 ms.
 *   <li>{@code reduce_variance_bp} (GroupNorm's statistics) takes 4.1 ms on [32, 32, 28, 28]; the
 *       mean, a broadcast subtract, a broadcast multiply and a scale take about a quarter of that.
 * </ul>
 *
 * Passes through SameDiff get the same bits: {@link #rerun} overwrites such an op's outputs with the
 * equivalent's right after SameDiff ran it. {@code -Dsdex.replay.kernels=false} keeps M2.1's kernels
 * everywhere.
 */
final class FastKernels {
    private FastKernels() {}

    /** Whether replays recorded from now on use the faster kernels. */
    static boolean enabled() { return !"false".equals(System.getProperty("sdex.replay.kernels")); }

    /** A replacement: native calls run in order, reading {@code inputs} and writing {@code outputs} (the op's). */
    record Kernel(String name, List<INDArray> inputs, List<INDArray> outputs, List<Call> calls) {
        void run(OpExecutioner ex) {
            for (Call c : calls) c.run(ex);
        }

        void close() {
            for (Call c : calls) if (c.context != null) closeQuietly(c.context);
        }
    }

    /** One native call: a custom op on a prepared context, or a legacy op holding its arrays. */
    record Call(Object op, OpContext context) {
        void run(OpExecutioner ex) {
            if (context != null) ex.exec((CustomOp) op, context);
            else ex.exec((Op) op);
        }
    }

    /**
     * The faster equivalent of {@code op} reading {@code in} and writing {@code out}, or null where
     * there is none for these arrays. {@code scratch} gives a work array shaped like its argument.
     */
    static Kernel of(DifferentialFunction op, List<INDArray> in, List<INDArray> out, Function<INDArray, INDArray> scratch) {
        return of(op, in, out, List.of(), List.of(), scratch);
    }

    /** As {@link #of(DifferentialFunction, List, List, Function)} for an op with these integer and boolean arguments. */
    static Kernel of(DifferentialFunction op, List<INDArray> in, List<INDArray> out, List<Long> iArgs, List<Boolean> bArgs,
                     Function<INDArray, INDArray> scratch) {
        String name = op.opName();
        if (!replaceable(op) || !allPlainFloat(in) || !allPlainFloat(out)) return null;
        if (op instanceof Swish && in.size() == 1 && out.size() == 1 && in.get(0) != out.get(0)
                && in.get(0).length() == out.get(0).length()) {
            return swish(in, out);
        }
        if (op instanceof SwishDerivative && in.size() == 1 && out.size() == 1 && in.get(0) != out.get(0)
                && in.get(0).length() == out.get(0).length()) {
            return swishDerivative(in, out, scratch.apply(in.get(0)));
        }
        if ("multiply_bp".equals(name) && in.size() == 3 && out.size() == 2) {
            return broadcastMultiplyBackward(in, out, scratch);
        }
        if ("reduce_variance_bp".equals(name) && in.size() == 2 && out.size() == 1 && !iArgs.isEmpty() && bArgs.size() == 2) {
            return varianceBackward(in, out, iArgs, bArgs.get(1), scratch);
        }
        return null;
    }

    /** Whether {@code op} is of a kind that has a faster equivalent (for some arrays): a cheap first test. */
    private static boolean replaceable(DifferentialFunction op) {
        String name = op.opName();
        return op instanceof Swish || op instanceof SwishDerivative || "multiply_bp".equals(name) || "reduce_variance_bp".equals(name);
    }

    /**
     * Overwrites the outputs of an op SameDiff has just run with its faster equivalent's, so that passes
     * through SameDiff and replays of them give the same bits (a run stays reproducible whichever
     * path each pass took, e.g. after resuming from a checkpoint).
     */
    static void rerun(DifferentialFunction op, OpContext ctx, Function<INDArray, INDArray> scratch) {
        // runs after every op of every pass through SameDiff: the op's kind first, its arrays and arguments only then
        if (ctx == null || !replaceable(op) || !enabled()) return;
        Kernel k = of(op, ctx.getInputArrays(), ctx.getOutputArrays(), ctx.getIArguments(), ctx.getBArguments(), scratch);
        if (k == null) return;
        try {
            k.run(Nd4j.getExecutioner());
        } finally {
            k.close();
        }
    }

    /** swish(x) = x sigmoid(x) = (x/2)(1 + tanh(x/2)), into z. */
    private static Kernel swish(List<INDArray> in, List<INDArray> out) {
        INDArray x = in.get(0), z = out.get(0);
        return new Kernel("swish (tanh)", in, out, List.of(
                legacy(new ScalarMultiplication(x, null, z, 0.5)),
                custom("tanh", z, z),
                legacy(new ScalarAdd(z, null, z, 1.0)),
                custom("multiply", z, z, x),
                legacy(new ScalarMultiplication(z, null, z, 0.5))));
    }

    /**
     * swish'(x) = sigmoid(x) + x sigmoid(x)(1 - sigmoid(x)) = (1 + t)/2 + x (1 - t²)/4 with
     * t = tanh(x/2), into d; {@code tanh_bp(x/2, x)} gives {@code x (1 - t²)} in one pass.
     */
    private static Kernel swishDerivative(List<INDArray> in, List<INDArray> out, INDArray s) {
        INDArray x = in.get(0), d = out.get(0);
        return new Kernel("_swishderivative (tanh)", in, out, List.of(
                legacy(new ScalarMultiplication(x, null, s, 0.5)),
                custom("tanh_bp", d, s, x),
                custom("tanh", s, s),
                legacy(new ScalarMultiplication(d, null, d, 0.5)),
                custom("add", d, d, s),
                legacy(new ScalarAdd(d, null, d, 1.0)),
                legacy(new ScalarMultiplication(d, null, d, 0.5))));
    }

    /**
     * multiply_bp(x, y, g) -> (g y, g x) where one of x, y is broadcast along some axes (same rank,
     * size 1 there): its gradient is g times the other summed over those axes.
     */
    private static Kernel broadcastMultiplyBackward(List<INDArray> in, List<INDArray> out, Function<INDArray, INDArray> scratch) {
        INDArray x = in.get(0), y = in.get(1), g = in.get(2), dx = out.get(0), dy = out.get(1);
        boolean xFull = Arrays.equals(x.shape(), g.shape()), yFull = Arrays.equals(y.shape(), g.shape());
        if (xFull == yFull) return null; // both full: the op is fast; neither: not this pattern
        INDArray full = xFull ? x : y, small = xFull ? y : x;
        INDArray dFull = xFull ? dx : dy, dSmall = xFull ? dy : dx;
        if (small.rank() != g.rank() || small.length() < 2 || !Arrays.equals(dFull.shape(), g.shape())
                || !Arrays.equals(dSmall.shape(), small.shape())) {
            return null;
        }
        List<Integer> axes = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        for (int d = 0; d < g.rank(); d++) {
            if (small.size(d) == g.size(d)) kept.add(g.size(d));
            else if (small.size(d) == 1) axes.add(d);
            else return null;
        }
        INDArray sums = view(dSmall, kept.stream().mapToLong(Long::longValue).toArray());
        if (sums == null) return null;
        INDArray work = scratch.apply(g);
        return new Kernel("multiply_bp (broadcast)", in, out, List.of(
                custom("multiply", dFull, g, small),
                custom("multiply", work, g, full),
                legacy(new Sum(work, sums, axes.stream().mapToInt(Integer::intValue).toArray()))));
    }

    /**
     * reduce_variance_bp(x, g) over axes {@code dims}: {@code g (x - mean(x)) 2 / N} with g broadcast
     * over those axes and N their size (N - 1 if bias-corrected), into the op's output.
     */
    private static Kernel varianceBackward(List<INDArray> in, List<INDArray> out, List<Long> dims, boolean biasCorrected,
                                           Function<INDArray, INDArray> scratch) {
        INDArray x = in.get(0), g = in.get(1), d = out.get(0);
        if (x == d || !Arrays.equals(x.shape(), d.shape())) return null;
        int rank = x.rank();
        boolean[] reducedAxis = new boolean[rank];
        int[] axes = new int[dims.size()];
        for (int i = 0; i < axes.length; i++) {
            long a = dims.get(i) < 0 ? dims.get(i) + rank : dims.get(i);
            if (a < 0 || a >= rank || reducedAxis[(int) a]) return null;
            reducedAxis[(int) a] = true;
            axes[i] = (int) a;
        }
        long[] kept = x.shape().clone(); // x's shape with 1 on the reduced axes: broadcasts against x
        List<Long> remaining = new ArrayList<>(); // without them: the shape of the mean
        long n = 1;
        for (int a = 0; a < rank; a++) {
            if (reducedAxis[a]) {
                n *= kept[a];
                kept[a] = 1;
            } else {
                remaining.add(kept[a]);
            }
        }
        if (n < 2 || remaining.isEmpty() || g.length() != x.length() / n) return null;
        INDArray means = scratch.apply(g).reshape('c', remaining.stream().mapToLong(Long::longValue).toArray());
        INDArray mean = view(means, kept), gradient = view(g, kept);
        if (mean == null || gradient == null) return null;
        return new Kernel("reduce_variance_bp (broadcast)", in, out, List.of(
                legacy(new Mean(x, means, axes)),
                custom("subtract", d, x, mean),
                custom("multiply", d, d, gradient),
                legacy(new ScalarMultiplication(d, null, d, 2.0 / (biasCorrected ? n - 1 : n)))));
    }

    /** {@code a} reshaped to {@code shape} as a view of its buffer, or null where that would be a copy. */
    private static INDArray view(INDArray a, long[] shape) {
        INDArray r = a.reshape('c', shape);
        return r.data().address() == a.data().address() ? r : null;
    }

    private static Call legacy(Op op) { return new Call(op, null); }

    private static Call custom(String name, INDArray out, INDArray... in) {
        DynamicCustomOp op = DynamicCustomOp.builder(name).build();
        OpContext c = Nd4j.getExecutioner().buildContext();
        c.setInputArrays(in);
        c.setOutputArrays(out);
        return new Call(op, c);
    }

    /** Contiguous row-major float32 arrays: what the replacements are written for. */
    private static boolean allPlainFloat(List<INDArray> arrays) {
        for (INDArray a : arrays) {
            if (a == null || a.dataType() != DataType.FLOAT || a.isEmpty() || a.offset() != 0 || !packedRowMajor(a)) return false;
        }
        return true;
    }

    /** Row-major without gaps (the stride of a dimension of size 1 does not matter). */
    private static boolean packedRowMajor(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) return false;
            expected *= a.size(d);
        }
        return true;
    }

    static void closeQuietly(OpContext c) {
        try {
            c.close();
        } catch (Exception e) {
            // a context that cannot be closed only keeps its small native struct
        }
    }
}
