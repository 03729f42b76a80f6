package org.sdex.core.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.shape.CreateView;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Assign;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One kind of SameDiff pass at one set of input shapes, run again op by op on the arrays of a
 * recorded run, without SameDiff's session.
 *
 * <p>Why: on the CPU-sized U-Net, SameDiff 1.0.0-M2.1's {@code InferenceSession} spends about as long
 * preparing each op (dependency tracking, output-shape inference through the native library, array
 * allocation, listener calls) as the op itself takes, over ~830 ops per forward pass and ~2,000 per
 * training step. A run that followed its {@link PassMemory} plan fixes everything but the numbers:
 * which native op runs next, with which arguments, reading and writing which arrays (arrays are
 * reused after their last reader, so the set stays as small as the plan made it). A replay executes
 * exactly those native calls again, each on an {@link OpContext} prepared once.
 *
 * <p>What may change between runs, and how it is handled: the placeholders' values are copied into
 * arrays of the replay's own ({@link #run}); weights and constants are read from the graph's own
 * arrays, which training updates in place ({@link #stillValid} checks that none was replaced);
 * random ops draw from ND4J's generator as they did in SameDiff (seed it first for the same masks).
 * Ops SameDiff does not execute through the native library (control flow, tensor arrays, external
 * gradients) are not replayed: the recording is refused and the pass stays with SameDiff. Some ops
 * are replaced: a convolution backward whose weight gradients nobody reads runs as a transposed
 * convolution (see {@code Recorder#backwardDataOnly}), and kernels that ND4J 1.0.0-M2.1 runs slowly
 * run as faster native equivalents ({@link FastKernels}).
 */
public final class ReplayedPass implements AutoCloseable {
    /** {@code -Dsdex.replay=false} runs every pass through SameDiff (for comparisons, or a future ND4J). */
    static final boolean ENABLED = !"false".equals(System.getProperty("sdex.replay"));

    private enum Action { CUSTOM, LEGACY, FILL_ONE, KERNEL }

    private record Step(DifferentialFunction op, OpContext context, Action action, INDArray output, FastKernels.Kernel kernel) {
        Step(DifferentialFunction op, OpContext context, Action action, INDArray output) {
            this(op, context, action, output, null);
        }
    }

    /** A graph array the steps read, expected to stay the same object. */
    private record Binding(SameDiff graph, String name, INDArray array) {}

    private final List<Step> steps;
    private final Map<String, INDArray> feeds;
    private final Map<String, INDArray> results;
    private final List<Binding> bindings;
    private final Set<INDArray> arrays;

    private ReplayedPass(List<Step> steps, Map<String, INDArray> feeds, Map<String, INDArray> results,
                         List<Binding> bindings, Set<INDArray> arrays) {
        this.steps = steps;
        this.feeds = feeds;
        this.results = results;
        this.bindings = bindings;
        this.arrays = arrays;
    }

    /** Whether every weight and constant the steps read is still the array the graph holds. */
    public boolean stillValid() {
        for (Binding b : bindings) if (b.graph.getArrForVarName(b.name) != b.array) return false;
        return true;
    }

    /**
     * Copies {@code feed} (every placeholder the recorded pass read, same shapes) into the replay's
     * arrays and runs the ops. Returns the recorded results by variable name: arrays of this replay,
     * overwritten by the next run of any pass that shares its memory, so copy what you keep.
     */
    public Map<String, INDArray> run(Map<String, INDArray> feed) {
        for (Map.Entry<String, INDArray> e : feeds.entrySet()) {
            INDArray v = feed.get(e.getKey());
            if (v == null) throw new IllegalArgumentException("no value for placeholder '" + e.getKey() + "'");
            e.getValue().assign(v);
        }
        OpExecutioner ex = Nd4j.getExecutioner();
        if (Profile.ON) {
            for (Step s : steps) {
                long t0 = System.nanoTime();
                exec(ex, s);
                Profile.add(s, System.nanoTime() - t0);
            }
        } else {
            for (Step s : steps) exec(ex, s);
        }
        return results;
    }

    private static void exec(OpExecutioner ex, Step s) {
        switch (s.action) {
            case CUSTOM -> ex.exec((CustomOp) s.op, s.context);
            case LEGACY -> ex.exec((Op) s.op, s.context);
            case FILL_ONE -> s.output.assign(1.0f);
            case KERNEL -> s.kernel.run(ex);
        }
    }

    /**
     * {@code -Dsdex.profile=true}: time every replayed op and print, when the JVM exits, the total
     * per op name and output shape (where a pass's time goes, without SameDiff's own overhead).
     */
    private static final class Profile {
        static final boolean ON = Boolean.getBoolean("sdex.profile");
        private static final Map<String, long[]> TOTALS = new ConcurrentHashMap<>();

        static {
            if (ON) Runtime.getRuntime().addShutdownHook(new Thread(Profile::print, "sdex-profile"));
        }

        static void add(Step s, long nanos) {
            String name = s.kernel != null ? s.kernel.name() : s.op.opName();
            String key = name + " " + (s.output == null ? "" : Arrays.toString(s.output.shape()));
            long[] t = TOTALS.computeIfAbsent(key, k -> new long[2]);
            t[0] += nanos;
            t[1]++;
        }

        static void print() {
            double total = TOTALS.values().stream().mapToLong(t -> t[0]).sum() / 1e6;
            System.err.printf("sdex profile: %.0f ms in replayed ops%n%10s %8s %10s  %s%n", total, "ms", "calls", "ms/call", "op [output shape]");
            TOTALS.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(40)
                    .forEach(e -> System.err.printf("%10.1f %8d %10.3f  %s%n", e.getValue()[0] / 1e6, e.getValue()[1],
                            e.getValue()[0] / 1e6 / e.getValue()[1], e.getKey()));
        }
    }

    /** The placeholder names and shapes a feed must match, as a key for replays of one kind. */
    static String signature(String kind, Map<String, INDArray> feed) {
        StringBuilder b = new StringBuilder(kind);
        feed.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                b.append('|').append(e.getKey()).append(':').append(e.getValue().dataType())
                        .append(Arrays.toString(e.getValue().shape())));
        return b.toString();
    }

    /** Every array the replay writes (to be kept from being closed while it lives). */
    Set<INDArray> arrays() { return arrays; }

    /** Number of native calls per run. */
    public int size() { return steps.size(); }

    /** Frees the prepared contexts and the placeholder copies (the pass's own arrays stay with the pool). */
    @Override
    public void close() {
        closeAll(steps);
        for (INDArray f : feeds.values()) if (f.closeable()) f.close();
    }

    private static void closeAll(List<Step> steps) {
        for (Step s : steps) {
            if (s.context != null) closeQuietly(s.context);
            if (s.kernel != null) s.kernel.close();
        }
    }

    private static void closeQuietly(OpContext c) { FastKernels.closeQuietly(c); }

    /**
     * Collects the ops of one SameDiff pass as they execute (fed from a listener, before SameDiff
     * purges each op's context). {@link #refusal()} says why a pass cannot be replayed, if so.
     */
    static final class Recorder {
        private enum Origin { FEED, GRAPH, PASS }

        private final List<Step> steps = new ArrayList<>();
        private final Map<String, INDArray> feeds = new LinkedHashMap<>();
        private final Map<INDArray, INDArray> feedCopies = new IdentityHashMap<>();
        private final Map<INDArray, Origin> known = new IdentityHashMap<>();
        private final Map<String, INDArray> byName = new LinkedHashMap<>();
        private final List<Binding> bindings = new ArrayList<>();
        /** Arrays that a pass-through or view op passed on: their values may be read under another name. */
        private final Set<INDArray> aliased = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Work arrays of the faster kernels, shaped like the argument (shared: passes run one at a time). */
        private final Function<INDArray, INDArray> scratch;
        private String refusal;

        Recorder(Function<INDArray, INDArray> scratch) { this.scratch = scratch; }

        String refusal() { return refusal; }

        private void refuse(String why) { if (refusal == null) refusal = why; }

        void add(SameDiff sd, SameDiffOp op, OpContext ctx, INDArray[] outs) {
            if (refusal != null) return;
            DifferentialFunction f = op.getOp();
            List<String> inNames = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
            List<String> outNames = op.getOutputsOfOp() == null ? List.of() : op.getOutputsOfOp();
            List<INDArray> ins = ctx == null ? List.of() : ctx.getInputArrays();
            // which of the op's inputs the pass did not make itself: placeholders and graph arrays
            INDArray[] resolved = new INDArray[ins.size()];
            for (int j = 0; j < ins.size(); j++) {
                INDArray a = ins.get(j);
                if (a == null) { refuse("op " + op.getName() + " has a missing input"); return; }
                Origin o = known.get(a);
                if (o == null) {
                    if (ins.size() != inNames.size()) {
                        refuse("op " + op.getName() + " reads an array not named among its inputs");
                        return;
                    }
                    o = register(sd, inNames.get(j), a);
                    if (o == null) return;
                }
                resolved[j] = o == Origin.FEED ? feedCopies.get(a) : a;
            }
            Action action;
            boolean writesOwnOutputs = ctx != null && ctx.numOutputArguments() == outs.length && outs.length > 0;
            for (int j = 0; writesOwnOutputs && j < outs.length; j++) writesOwnOutputs = outs[j] == ctx.getOutputArray(j);
            if (f instanceof GradientBackwardsMarker && outs.length == 1) {
                action = Action.FILL_ONE;
            } else if (writesOwnOutputs && f instanceof CustomOp) {
                action = Action.CUSTOM;
            } else if (writesOwnOutputs && f instanceof Op) {
                action = Action.LEGACY;
            } else if (f instanceof Identity || f instanceof Assign || f instanceof CreateView) {
                action = null; // a pass-through or a view of an input: nothing to run again
                aliased.addAll(ins);
                for (int j = 0; j < outs.length; j++) {
                    if (outs[j] == null) continue;
                    Origin src = known.get(outs[j]);
                    if (src == null) {
                        for (INDArray a : ins) {
                            if (known.get(a) == Origin.FEED) { refuse("op " + op.getName() + " views a placeholder"); return; }
                        }
                        known.put(outs[j], Origin.PASS);
                    }
                }
            } else {
                refuse("op " + op.getName() + " (" + f.getClass().getSimpleName() + ") is not a plain native op");
                return;
            }
            if (action == Action.FILL_ONE) {
                steps.add(new Step(f, null, action, outs[0]));
                if (known.containsKey(outs[0])) { refuse("op " + op.getName() + " fills an array it did not make"); return; }
                known.put(outs[0], Origin.PASS);
            } else if (action != null) {
                OpContext c = Nd4j.getExecutioner().buildContext();
                c.setInputArrays(resolved);
                c.setOutputArrays(outs);
                c.setIArguments(longs(ctx.getIArguments()));
                c.setTArguments(doubles(ctx.getTArguments()));
                c.setBArguments(booleans(ctx.getBArguments()));
                c.setDArguments(ctx.getDArguments().toArray(new DataType[0]));
                steps.add(new Step(f, c, action, outs.length == 0 ? null : outs[0]));
                for (INDArray o : outs) {
                    if (known.get(o) == Origin.FEED || known.get(o) == Origin.GRAPH) {
                        refuse("op " + op.getName() + " writes into a placeholder or graph array");
                        return;
                    }
                    known.put(o, Origin.PASS);
                }
            }
            for (int j = 0; j < outNames.size() && j < outs.length; j++) byName.put(outNames.get(j), outs[j]);
        }

        private Origin register(SameDiff sd, String name, INDArray a) {
            SDVariable v = sd.getVariable(name);
            VariableType t = v == null ? null : v.getVariableType();
            if (t == VariableType.PLACEHOLDER) {
                if (feeds.containsKey(name)) { refuse("placeholder '" + name + "' arrived as two arrays"); return null; }
                INDArray copy = Nd4j.createUninitialized(a.dataType(), a.shape());
                feeds.put(name, copy);
                feedCopies.put(a, copy);
                known.put(a, Origin.FEED);
                return Origin.FEED;
            }
            if ((t == VariableType.VARIABLE || t == VariableType.CONSTANT) && sd.getArrForVarName(name) == a) {
                bindings.add(new Binding(sd, name, a));
                known.put(a, Origin.GRAPH);
                return Origin.GRAPH;
            }
            refuse("input '" + name + "' (" + t + ") comes from outside the pass");
            return null;
        }

        /** The replay, or null (see {@link #refusal()}); {@code results} are the names a run returns. */
        ReplayedPass build(Set<String> results) {
            if (refusal == null && steps.isEmpty()) refuse("no ops ran");
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (String r : results) {
                INDArray a = byName.get(r);
                if (a == null || known.get(a) != Origin.PASS) {
                    refuse("result '" + r + "' is not made by the pass");
                    break;
                }
                out.put(r, a);
            }
            if (refusal != null) {
                close();
                return null;
            }
            backwardDataOnly(out.values());
            if (FastKernels.enabled()) fasterKernels();
            Set<INDArray> written = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Step s : steps) {
                if (s.kernel != null) written.addAll(s.kernel.outputs());
                else if (s.context == null) written.add(s.output);
                else written.addAll(s.context.getOutputArrays());
            }
            written.addAll(feeds.values());
            return new ReplayedPass(List.copyOf(steps), feeds, Collections.unmodifiableMap(out), List.copyOf(bindings), written);
        }

        /** Steps whose kernel has a faster equivalent ({@link FastKernels}) run that instead. */
        private void fasterKernels() {
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s.context == null || (s.action != Action.CUSTOM && s.action != Action.LEGACY)) continue;
                FastKernels.Kernel k = FastKernels.of(s.op, s.context.getInputArrays(), s.context.getOutputArrays(),
                        s.context.getIArguments(), s.context.getBArguments(), scratch);
                if (k == null) continue;
                closeQuietly(s.context);
                steps.set(i, new Step(s.op, null, Action.KERNEL, s.output, k));
            }
        }

        /**
         * A convolution's backward op whose weight and bias gradients nobody reads (the input-VJP pass,
         * where the weights are constants) becomes the transposed convolution of the output gradient,
         * which is the input gradient alone: oneDNN's backward-data pass without the backward-weights
         * pass, about half of the op's time. Only where the transposed convolution's output shape is
         * the input gradient's (so strides and padding agree).
         */
        private void backwardDataOnly(Collection<INDArray> results) {
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s.action != Action.CUSTOM || !"conv2d_bp".equals(s.op.opName())) continue;
                List<INDArray> in = s.context.getInputArrays();
                List<INDArray> out = s.context.getOutputArrays();
                List<Long> args = s.context.getIArguments();
                // conv2d_bp: (input, weights[, bias], gradO) -> (gradI, gradW[, gradB]); weights as [kH, kW, iC, oC]
                if (in.size() < 3 || out.size() < 2 || args.size() < 10 || (args.size() > 10 && args.get(10) != 0)) continue;
                boolean unused = true;
                for (int k = 1; k < out.size() && unused; k++) unused = unreadAfter(i, out.get(k), results);
                if (!unused) continue;
                INDArray gradO = in.get(in.size() - 1);
                INDArray gradI = out.get(0);
                long[] deconvArgs = new long[11];
                for (int k = 0; k < 10; k++) deconvArgs[k] = args.get(k);
                deconvArgs[10] = 0; // weights [kH, kW, oC, iC] of the transposed convolution: the same array
                DynamicCustomOp deconv = DynamicCustomOp.builder("deconv2d").build();
                OpContext c = Nd4j.getExecutioner().buildContext();
                c.setInputArrays(gradO, in.get(1));
                c.setOutputArrays(gradI);
                c.setIArguments(deconvArgs);
                List<LongShapeDescriptor> shapes = Nd4j.getExecutioner().calculateOutputShape(deconv, c);
                if (shapes.size() != 1 || !Arrays.equals(shapes.get(0).getShape(), gradI.shape())) {
                    closeQuietly(c);
                    continue;
                }
                closeQuietly(s.context);
                steps.set(i, new Step(deconv, c, Action.CUSTOM, gradI));
            }
        }

        /** Whether no step after {@code i} reads {@code a} before one overwrites it, and it is no result. */
        private boolean unreadAfter(int i, INDArray a, Collection<INDArray> results) {
            if (aliased.contains(a)) return false;
            for (int j = i + 1; j < steps.size(); j++) {
                Step s = steps.get(j);
                if (s.context == null && s.kernel == null) {
                    if (s.output == a) return true;
                    continue;
                }
                for (INDArray x : s.kernel != null ? s.kernel.inputs() : s.context.getInputArrays()) if (x == a) return false;
                for (INDArray x : s.kernel != null ? s.kernel.outputs() : s.context.getOutputArrays()) if (x == a) return true;
            }
            for (INDArray r : results) if (r == a) return false;
            return true;
        }

        /** Frees the contexts of a recording that will not be replayed. */
        void close() {
            closeAll(steps);
            steps.clear();
        }

        private static long[] longs(List<Long> l) {
            long[] r = new long[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = l.get(i);
            return r;
        }

        private static double[] doubles(List<Double> l) {
            double[] r = new double[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = l.get(i);
            return r;
        }

        private static boolean[] booleans(List<Boolean> l) {
            boolean[] r = new boolean[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = l.get(i);
            return r;
        }
    }
}
