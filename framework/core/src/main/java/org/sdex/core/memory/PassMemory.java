package org.sdex.core.memory;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arrays of SameDiff passes: reused from one pass to the next, and within a pass as soon as
 * their last reader has run.
 *
 * <p>Why: in 1.0.0-M2.1 a gradient pass runs with SameDiff's own array release switched off
 * ({@code calculateGradients} sets {@code enableCache(false)} on the gradient function), and in
 * forward passes it releases most arrays only at the end; measured on the CPU-sized U-Net at batch 32,
 * a training step allocated 2,623 arrays (1.65 GB) and a forward pass 844 (600 MB), all fresh,
 * each page faulted in and left to the garbage collector. This manager, shared by the sessions of
 * one network:
 * <ol>
 *   <li>hands out arrays of the same type and shape from a pool, so a warm pass allocates nothing;</li>
 *   <li>learns each kind of pass from one recorded run (the ops in execution order, what each reads
 *       and writes, and which outputs are views or pass-throughs of its inputs), and in later runs
 *       returns an array to the pool right after the last op that reads it (a view keeps its source
 *       alive as long as itself). A run is checked op by op against the recorded order; from the
 *       first difference on, that run releases nothing more and the kind is recorded again;</li>
 *   <li>{@link #recycle()}: when the pass is over and its results have been copied out, everything
 *       it allocated goes back to the pool.</li>
 * </ol>
 * Arrays in the pool are not cleared (ops write their whole output; equality with fresh passes is
 * tested). SameDiff's own {@code release} calls are ignored: its late releases could return an array
 * this manager has already handed to another op. Not thread-safe: the owner serialises passes.
 */
public final class PassMemory extends AbstractMemoryMgr {
    private static final Logger LOG = LoggerFactory.getLogger(PassMemory.class);
    /** {@code -Dsdex.passMemory=false} leaves every pass to SameDiff's own memory manager (for comparisons, or a future ND4J). */
    static final boolean ENABLED = !"false".equals(System.getProperty("sdex.passMemory"));
    /** {@code -Dsdex.passMemory.recordingRelease=false}: a recording pass holds all of its arrays to its end (for comparisons). */
    static final boolean RELEASE_WHILE_RECORDING = !"false".equals(System.getProperty("sdex.passMemory.recordingRelease"));
    /** Free arrays no pass has used for this many passes are closed (another batch size, or a surplus once the plan releases early). */
    static final int FORGET_AFTER = 3;
    /** Replays kept at once (kinds of pass times input shapes); the least recently used goes first. */
    static final int MAX_REPLAYS = 6;
    /** A replay no pass has used for this many passes is dropped, and its arrays may then be closed. */
    static final int REPLAY_IDLE = 8;

    /** Free arrays by data type and shape. */
    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    /** Arrays handed out and not yet returned. */
    private final Set<INDArray> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The pass in which each array was last handed out. */
    private final Map<INDArray, Long> lastUse = new IdentityHashMap<>();
    /** What is known of each kind of pass, by the name its owner gives it. */
    private final Map<String, Plan> plans = new HashMap<>();
    private final Listener listener = new Listener();
    /** Replays by {@link ReplayedPass#signature}, least recently used first. */
    private final Map<String, ReplayedPass> replays = new LinkedHashMap<>(16, 0.75f, true);
    /** The pass in which each replay last ran. */
    private final Map<String, Long> replayUsed = new HashMap<>();
    /** Signatures whose recording was refused: they stay with SameDiff. */
    private final Set<String> refused = new HashSet<>();
    /** The replays' work arrays by data type and length (see {@link #scratchLike}). */
    private final Map<String, INDArray> scratch = new HashMap<>();
    /** Arrays that replays write: never closed while a replay holds them. */
    private final Map<INDArray, Integer> pinned = new IdentityHashMap<>();
    private Plan current;
    private long pass;
    private long allocated;
    private long reused;
    private long released;

    private record Key(DataType type, List<Long> shape) {
        static Key of(DataType type, long[] shape) {
            List<Long> s = new ArrayList<>(shape.length);
            for (long v : shape) s.add(v);
            return new Key(type, List.copyOf(s));
        }
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        ArrayDeque<INDArray> q = free.get(Key.of(dataType, shape));
        INDArray a = q == null ? null : q.pollLast(); // last in, first out: warm memory, and the rest goes idle
        if (a == null) {
            a = Nd4j.createUninitialized(dataType, shape);
            allocated++;
        } else {
            reused++;
        }
        inUse.add(a);
        lastUse.put(a, pass);
        return a;
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        return allocate(detached, descriptor.dataType(), descriptor.getShape());
    }

    /** Ignored (see the class comment): arrays are returned by the learned plan and by {@link #recycle()}. */
    @Override
    public void release(INDArray array) {}

    /**
     * A pass of the given kind starts on {@code g} (through its gradient function if {@code gradient});
     * {@code keep} names the variables it returns, which are never released before the pass ends
     * (asked for when the plan is made, after the first run, when gradient variables exist).
     * Installs this manager and its listener on the session that will run the pass. If this kind's plan
     * is known and there is no replay for the placeholder values {@code feed}'s shapes yet, the pass is
     * recorded for {@link #replay}.
     */
    public void beginPass(SameDiff g, String kind, boolean gradient, Supplier<Set<String>> keep, Map<String, INDArray> feed) {
        if (!ENABLED) return;
        // SameDiff would make the gradient function and this thread's session on the first pass (with
        // its own memory manager); make them now, so that the first pass is already recorded here
        if (gradient && g.getFunction("grad") == null) {
            createGradFunctionQuietly(g);
            // the gradient function is built on a copy of every variable's array, garbage afterwards
            long bytes = 0;
            for (org.nd4j.autodiff.samediff.ArrayHolder h : List.of(g.getVariablesArrays(), g.getConstantArrays())) {
                for (String n : h.arrayNames()) {
                    INDArray a = h.getArray(n);
                    if (a != null) bytes += a.length() * a.dataType().width();
                }
            }
            NativeMemory.collectAfterBuild(bytes);
        }
        SameDiff runs = gradient ? g.getFunction("grad") : g;
        runs.getSessions().computeIfAbsent(Thread.currentThread().getId(), id -> new InferenceSession(runs));
        installOn(g);
        if (g.getListeners() == null || !g.getListeners().contains(listener)) g.addListeners(listener);
        current = plans.computeIfAbsent(kind, k -> new Plan());
        current.keep = keep; // this graph's: a plan may have been learnt on another graph of the same ops
        String signature = ReplayedPass.signature(kind, feed);
        boolean record = ReplayedPass.ENABLED && !current.recording
                && !replays.containsKey(signature) && !refused.contains(signature);
        current.start(record ? signature : null);
    }

    /**
     * Runs the recorded replay of this kind of pass for {@code feed}'s shapes, if there is one and the
     * graph still holds the arrays it read; returns its results (arrays of the replay: copy them
     * before the next pass), or null when the pass must go through SameDiff.
     */
    public Map<String, INDArray> replay(String kind, Map<String, INDArray> feed) {
        if (!ENABLED || !ReplayedPass.ENABLED) return null;
        String signature = ReplayedPass.signature(kind, feed);
        ReplayedPass r = replays.get(signature);
        if (r == null) return null;
        if (!r.stillValid()) {
            drop(signature);
            return null;
        }
        replayUsed.put(signature, pass);
        pass++;
        forgetIdle();
        return r.run(feed);
    }

    /** Number of replays held (for tests). */
    public int replays() { return replays.size(); }

    private void keepReplay(String signature, ReplayedPass r) {
        replays.put(signature, r);
        replayUsed.put(signature, pass);
        for (INDArray a : r.arrays()) pinned.merge(a, 1, Integer::sum);
        while (replays.size() > MAX_REPLAYS) drop(replays.keySet().iterator().next());
        LOG.debug("replaying {} with {} native calls", signature, r.size());
    }

    private void drop(String signature) {
        ReplayedPass r = replays.remove(signature);
        replayUsed.remove(signature);
        if (r == null) return;
        for (INDArray a : r.arrays()) {
            pinned.computeIfPresent(a, (k, n) -> n == 1 ? null : n - 1);
            lastUse.computeIfPresent(a, (k, p) -> pass); // pooled arrays age from now (the replay's own copies have no entry)
        }
        r.close();
    }

    /**
     * {@code g.createGradFunction()} without the line per differentiated op that SameDiff 1.0.0-M2.1
     * prints to standard output unconditionally (thousands for a U-Net); other output passes through.
     */
    private static void createGradFunctionQuietly(SameDiff g) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(out, true) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith("Added differentiated op ")) super.println(line);
            }
        });
        try {
            g.createGradFunction();
        } finally {
            System.setOut(out);
        }
    }

    /**
     * Whether passes of this kind already release arrays early. The plan does not depend on the batch
     * size, so an owner can record it on a one-row pass first and spare the full batch's recording
     * (which holds all of its arrays to the end).
     */
    public boolean knows(String kind) {
        if (!ENABLED) return true;
        Plan p = plans.get(kind);
        return p != null && !p.recording;
    }

    /**
     * The pass is over and its results are copied: every array it allocated is free again. Free
     * arrays unused for {@value #FORGET_AFTER} passes are closed (their memory returned now): the
     * surplus once a plan releases arrays early, and the arrays of a batch size or a replay no longer
     * in use.
     */
    public void recycle() {
        if (!ENABLED) return;
        if (current != null) current.finish();
        current = null;
        for (INDArray a : inUse) put(a);
        inUse.clear();
        pass++;
        forgetIdle();
    }

    /**
     * Drops the replays no pass has used for {@value #REPLAY_IDLE} passes (a forward pass between
     * long stretches of training steps is recorded again when it comes back, rather than holding its
     * arrays all along), then closes the free arrays idle for {@value #FORGET_AFTER} passes.
     */
    private void forgetIdle() {
        for (String k : new ArrayList<>(replays.keySet())) {
            if (pass - replayUsed.getOrDefault(k, pass) > REPLAY_IDLE) drop(k);
        }
        closeFree(a -> pass - lastUse.getOrDefault(a, pass) > FORGET_AFTER);
    }

    /** Closes the free arrays that no replay writes and that {@code which} selects. */
    private void closeFree(java.util.function.Predicate<INDArray> which) {
        for (ArrayDeque<INDArray> q : free.values()) {
            q.removeIf(a -> {
                if (pinned.containsKey(a) || !which.test(a)) return false;
                lastUse.remove(a);
                if (a.closeable()) a.close();
                return true;
            });
        }
        free.values().removeIf(ArrayDeque::isEmpty);
    }

    /**
     * Closes the free arrays no replay writes: the arrays of a pass whose shapes will not come
     * again soon (a plan learnt on one row), freed now instead of after {@value #FORGET_AFTER} passes.
     */
    public void closeUnpinned() {
        if (ENABLED) closeFree(a -> true);
    }

    private void put(INDArray a) {
        lastUse.putIfAbsent(a, pass);
        free.computeIfAbsent(Key.of(a.dataType(), a.shape()), k -> new ArrayDeque<>()).add(a);
    }

    /**
     * A work array shaped like {@code like} for the replays' faster kernels: a view of one buffer per
     * data type and length, shared by all replays of this manager (they run one at a time).
     */
    private INDArray scratchLike(INDArray like) {
        INDArray buffer = scratch.computeIfAbsent(like.dataType() + ":" + like.length(),
                k -> Nd4j.createUninitialized(like.dataType(), like.length()));
        return buffer.reshape('c', like.shape());
    }

    /** Installs this manager on every session {@code g} and its gradient function have. */
    private void installOn(SameDiff g) {
        for (SameDiff s : new SameDiff[] {g, g.getFunction("grad")}) {
            if (s == null) continue;
            for (InferenceSession session : s.getSessions().values()) {
                if (session.getMmgr() != this) session.setMmgr(this);
            }
        }
    }

    /**
     * Arrays created, arrays handed out again, and arrays returned early by a plan, since
     * construction (for tests and benchmarks).
     */
    public long[] counts() { return new long[] {allocated, reused, released}; }

    @Override
    public void close() {
        for (String k : new ArrayList<>(replays.keySet())) drop(k); // unpins their arrays
        for (INDArray a : scratch.values()) if (a.closeable()) a.close();
        scratch.clear();
        closeFree(a -> true);
        inUse.clear();
        lastUse.clear();
    }

    @Override
    public String toString() { return "PassMemory" + Arrays.toString(counts()); }

    /** Sees every op of the passes (SameDiff copies a graph's listeners to its gradient function). */
    private final class Listener extends BaseListener {
        @Override public boolean isActive(Operation operation) { return true; }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext, INDArray[] outputs) {
            FastKernels.rerun(op.getOp(), opContext, PassMemory.this::scratchLike);
            if (current != null) current.afterOp(sd, op, opContext, outputs);
        }
    }

    /** One kind of pass: recorded once, then used to return arrays after their last reader. */
    private final class Plan {
        private Supplier<Set<String>> keep;
        /** The recorded ops, in execution order, with their inputs and outputs. */
        private final List<String> order = new ArrayList<>();
        private final List<List<String>> inputs = new ArrayList<>();
        private final List<List<String>> outputs = new ArrayList<>();
        /** Outputs (by name) that were not fresh arrays of this manager: views or pass-throughs. */
        private final Set<String> aliases = new HashSet<>();
        /** After op i, the variables (by name) whose arrays go back to the pool. */
        private List<List<String>> releaseAfter;
        /** The array of each variable in the running pass, and the variable each array last held. */
        private final Map<String, INDArray> arrays = new HashMap<>();
        private final Map<INDArray, String> holder = new IdentityHashMap<>();
        private boolean recording = true;
        private boolean onTrack;
        private int cursor;
        /** The running pass's recording for a replay, and the signature it is for; else null. */
        private ReplayedPass.Recorder recorder;
        private String signature;
        /** While recording: what still holds each variable's array (see {@link #releaseByGraph}); else null. */
        private Map<String, Integer> holds;
        /** While recording: the inputs each alias output keeps alive. */
        private final Map<String, List<String>> aliasOf = new HashMap<>();
        /** While recording: the pass's results ({@link #keep}, asked once per pass). */
        private Set<String> kept;

        void start(String replaySignature) {
            if (recorder != null) recorder.close();
            signature = replaySignature;
            recorder = replaySignature == null ? null : new ReplayedPass.Recorder(PassMemory.this::scratchLike);
            arrays.clear();
            holder.clear();
            cursor = 0;
            onTrack = !recording;
            holds = null;
            aliasOf.clear();
            if (recording) {
                order.clear();
                inputs.clear();
                outputs.clear();
                aliases.clear();
            }
        }

        /**
         * While a pass is recorded (no plan yet), arrays go back to the pool once every op of the
         * graph that reads their values has run and no view of them is alive: the readers come from
         * the graph's structure, since the order is not known yet. Without it a recording pass held
         * every array to its end: the one-row passes that learn the plans of the CIFAR config's
         * training step and input VJP held 600 and 450 MB (the gradients of all convolution weights,
         * which the VJP pass computes and nobody reads, among them). A reader that never runs keeps
         * its array to the end of the pass, as before.
         */
        private void releaseByGraph(SameDiff sd, SameDiffOp op, List<String> in, List<String> out, INDArray[] outs,
                                    boolean[] alias) {
            if (holds == null) {
                kept = keep.get();
                holds = new HashMap<>();
                for (SameDiffOp o : sd.getOps().values()) {
                    List<String> oi = o.getInputsToOp() == null ? List.of() : o.getInputsToOp();
                    for (String v : new HashSet<>(valueInputs(o.getOp().opName(), oi))) holds.merge(v, 1, Integer::sum);
                }
            }
            for (int j = 0; j < out.size() && j < outs.length; j++) {
                if (outs[j] == null) continue;
                if (alias[j]) {
                    List<String> parents = List.copyOf(new HashSet<>(in));
                    aliasOf.put(out.get(j), parents);
                    for (String p : parents) holds.merge(p, 1, Integer::sum);
                }
            }
            for (String v : new HashSet<>(valueInputs(op.getOp().opName(), in))) {
                holds.merge(v, -1, Integer::sum);
                releaseIfFree(v);
            }
            for (String o : out) releaseIfFree(o); // outputs nobody reads
        }

        private void releaseIfFree(String v) {
            if (holds.getOrDefault(v, 0) > 0 || kept.contains(v)) return;
            holds.put(v, Integer.MAX_VALUE / 2); // released once
            List<String> parents = aliasOf.remove(v);
            if (parents != null) {
                for (String p : parents) {
                    holds.merge(p, -1, Integer::sum);
                    releaseIfFree(p);
                }
                return;
            }
            INDArray a = arrays.get(v);
            if (a != null && v.equals(holder.get(a)) && inUse.remove(a)) {
                holder.remove(a); // handed out again, it is a fresh array, not an alias of this one
                put(a);
                released++;
            }
        }

        void afterOp(SameDiff sd, SameDiffOp op, OpContext ctx, INDArray[] outs) {
            List<String> in = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
            List<String> out = op.getOutputsOfOp() == null ? List.of() : op.getOutputsOfOp();
            boolean[] alias = new boolean[outs.length];
            if (recording) {
                order.add(op.getName());
                inputs.add(valueInputs(op.getOp().opName(), in));
                outputs.add(List.copyOf(out));
                for (int j = 0; j < out.size() && j < outs.length; j++) {
                    INDArray a = outs[j];
                    alias[j] = a == null || !inUse.contains(a) || holder.containsKey(a);
                    if (alias[j]) aliases.add(out.get(j));
                }
            }
            for (int j = 0; j < out.size() && j < outs.length; j++) {
                if (outs[j] == null) continue;
                arrays.put(out.get(j), outs[j]);
                holder.put(outs[j], out.get(j));
            }
            if (recording && !onTrack && RELEASE_WHILE_RECORDING) releaseByGraph(sd, op, in, out, outs, alias);
            if (!onTrack) return;
            if (cursor >= order.size() || !order.get(cursor).equals(op.getName())) {
                onTrack = false;   // another order than recorded: release nothing more, record again
                recording = true;
                return;
            }
            if (recorder != null) recorder.add(sd, op, ctx, outs);
            for (String name : releaseAfter.get(cursor)) {
                INDArray a = arrays.get(name);
                if (a != null && name.equals(holder.get(a)) && inUse.remove(a)) {
                    put(a);
                    released++;
                }
            }
            cursor++;
        }

        void finish() {
            if (recorder != null) {
                ReplayedPass r = onTrack && cursor == order.size() ? recorder.build(keep.get()) : null;
                if (r != null) {
                    keepReplay(signature, r);
                } else if (onTrack) {
                    refused.add(signature);
                    LOG.debug("{} stays with SameDiff: {}", signature, recorder.refusal());
                } else {
                    recorder.close();
                }
                recorder = null;
            }
            if (recording && !order.isEmpty()) analyse();
        }

        /**
         * The inputs whose values {@code op} reads. The backward ops of add, subtract, concat, average
         * pooling and nearest upsampling take their forward inputs only for the shapes (libnd4j reads
         * nothing else from them), so those arrays may go back to the pool after their last real
         * reader: otherwise every residual branch and every GroupNorm's pre-shift product would stay
         * alive until the backward pass reached it just to lend its shape. The op still receives the
         * same array objects, whatever they hold by then.
         */
        private static List<String> valueInputs(String op, List<String> in) {
            int shapeOnly = switch (op) {
                case "add_bp", "subtract_bp" -> Math.min(2, in.size());
                case "avgpool2d_bp", "upsampling2d_bp" -> Math.min(1, in.size());
                case "concat_bp" -> Math.max(0, in.size() - 1);
                default -> 0;
            };
            return List.copyOf(in.subList(shapeOnly, in.size()));
        }

        /**
         * Last reader of each variable; a variable whose array is an alias (view or pass-through)
         * of its op's inputs extends their lives to its own, so walk the ops backwards.
         */
        private void analyse() {
            int n = order.size();
            Map<String, Integer> last = new HashMap<>();
            for (int i = 0; i < n; i++) for (String v : inputs.get(i)) last.put(v, i);
            for (String v : keep.get()) last.put(v, Integer.MAX_VALUE);
            for (int i = n - 1; i >= 0; i--) {
                for (String o : outputs.get(i)) {
                    if (!aliases.contains(o)) continue;
                    int life = last.getOrDefault(o, -1);
                    for (String v : inputs.get(i)) last.merge(v, life, Math::max);
                }
            }
            Set<String> produced = new HashSet<>();
            for (List<String> o : outputs) produced.addAll(o);
            releaseAfter = new ArrayList<>();
            for (int i = 0; i < n; i++) releaseAfter.add(new ArrayList<>());
            for (Map.Entry<String, Integer> e : last.entrySet()) {
                int i = e.getValue();
                // only arrays this pass's ops made themselves, read for the last time by op i
                if (i >= 0 && i < n && produced.contains(e.getKey()) && !aliases.contains(e.getKey())) {
                    releaseAfter.get(i).add(e.getKey());
                }
            }
            recording = false;
        }
    }
}
