package org.sdex.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.ArrayHolder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.memory.NativeMemory;
import org.sdex.core.memory.PassMemory;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.sde.Sde;

/**
 * A {@link NetworkModel} built once into a SameDiff graph for one example shape, with the denoising
 * score matching loss attached. The network predicts the noise; the score is
 * {@code -eps_hat / sigma(t)} (the preconditioning lives here, not in architectures). The
 * per-example loss weight is a placeholder, so one graph serves plain and likelihood-weighted
 * training. A model with training-only layers (dropout) is trained through a second graph of a
 * fixed batch size built with {@link NetworkModel#defineForTraining}. Gradients are only ever
 * requested for variables: in SameDiff 1.0.0-M2.1 gradients with respect to placeholders blow up
 * memory. Input vector-Jacobian products (for likelihoods) use
 * a second graph of the same network, built on first use, whose input is a variable (see
 * {@link #scoreFunction(Sde)}).
 *
 * <p>All passes share one {@link PassMemory}: arrays are reused from pass to pass, and once a kind
 * of pass (forward, training step, VJP) has run at a set of input shapes, later passes at those
 * shapes are replayed op by op without SameDiff's session ({@link org.sdex.core.memory.ReplayedPass}),
 * with bit-for-bit the same results.
 */
public final class ScoreNetwork implements AutoCloseable {
    static final String X = "x";
    static final String LABEL = "noise_label";
    static final String TARGET = "target_noise";
    static final String WEIGHT = "loss_weight";

    static final String VJP_X = "vjp_x";
    static final String VJP_V = "vjp_v";

    private final NetworkModel model;
    private final SameDiff sd;
    private final long[] exampleShape;
    private final long exampleSize;
    private final DataType type;
    private final String output;
    private final String loss;
    private final List<String> weightNames;
    private final boolean reduceMean;
    /** The training graph of a model that trains differently (dropout), built on first use; else null. */
    private TrainGraph trainGraph;
    /** The input-VJP graph, built on the first {@code vjp} call; guarded by {@code this}. */
    private VjpGraph vjpGraph;
    /** The arrays of all passes of all graphs, reused from pass to pass; results are copied out first. */
    private final PassMemory memory = new PassMemory();

    /**
     * @param reduceMean average the squared error over data dimensions (else half the sum, as the
     *                   reference's {@code reduce_mean=False})
     */
    public ScoreNetwork(NetworkModel model, long[] exampleShape, DataType type, boolean reduceMean) {
        this.model = model;
        this.exampleShape = exampleShape.clone();
        this.type = type;
        long n = 1;
        for (long s : exampleShape) n *= s;
        this.exampleSize = n;
        sd = SameDiff.create();
        SDVariable x = sd.placeHolder(X, type, batchShape(-1));
        SDVariable label = sd.placeHolder(LABEL, type, -1);
        SDVariable out = model.define(sd, x, label);
        output = out.name();

        this.reduceMean = reduceMean;
        loss = attachLoss(sd, out, -1);

        List<String> names = weightNamesOf(sd, null);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the network defines no trainable variables (create weights with sd.var)");
        }
        weightNames = List.copyOf(names);
    }

    /** loss = mean_b w_b reduce_d (eps_hat - z)^2 on {@code out}, for batches of {@code batch} rows (-1: any). */
    private String attachLoss(SameDiff g, SDVariable out, long batch) {
        SDVariable target = g.placeHolder(TARGET, type, batchShape(batch));
        SDVariable w = g.placeHolder(WEIGHT, type, batch);
        SDVariable diff = out.sub(target).reshape(batch, exampleSize);
        SDVariable sq = diff.mul(diff);
        SDVariable perExample = reduceMean ? sq.mean(1) : sq.sum(1).mul(0.5);
        String name = perExample.mul(w).mean().rename("dsm_loss").name();
        g.setLossVariables(name);
        return name;
    }

    /**
     * The trainable variables of {@code g} but {@code except}, sorted, so iteration order (and the
     * rounding of sums over weights) never depends on SameDiff's maps.
     */
    private static List<String> weightNamesOf(SameDiff g, String except) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : g.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !v.name().equals(except)) names.add(v.name());
        }
        Collections.sort(names);
        return names;
    }

    /** Fails unless a second graph of the model created exactly this network's weights. */
    private void checkSameWeights(SameDiff g, String except) {
        List<String> names = weightNamesOf(g, except);
        if (!names.equals(weightNames)) {
            throw new IllegalStateException("the network defined different weights on a second build: " + names
                    + " vs " + weightNames + " (weights must be created with fixed names)");
        }
        for (String n : names) {
            if (!Arrays.equals(sd.getVariable(n).getArr().shape(), g.getVariable(n).getArr().shape())) {
                throw new IllegalStateException("weight '" + n + "' has a different shape on a second build");
            }
        }
    }

    /**
     * Makes a second graph read the training graph's weight arrays themselves (as variables or, after
     * {@code convertToConstants}, as constants): SameDiff's default holder copies every array it is
     * given (and per thread), which for the CIFAR config kept two more 247 MB copies of the weights
     * and copied them in before every pass. Training updates those arrays in place, so the second
     * graph always sees the live weights.
     */
    private void shareWeights(SameDiff g, boolean asConstants) {
        ArrayHolder own = asConstants ? g.getConstantArrays() : g.getVariablesArrays();
        ArrayHolder holder = new SingleThreadArrayHolder();
        holder.initFrom(own);
        for (String n : weightNames) {
            INDArray replaced = own.getArray(n);
            INDArray live = sd.getVariable(n).getArr();
            holder.setArray(n, live);
            // the second build's freshly initialised weights: freed now rather than by a later
            // collection (247 MB per graph for the CIFAR config, live during the first pass otherwise)
            if (replaced != null && replaced != live && !replaced.wasClosed() && replaced.closeable()) replaced.close();
        }
        if (asConstants) g.setConstantArrays(holder);
        else g.setVariablesArrays(holder);
    }

    /**
     * Frees the network's native memory now (the pass arrays, the replays, the weights) instead of
     * whenever the collector finds it unreachable; the network cannot be used afterwards.
     */
    @Override
    public synchronized void close() {
        memory.close();
        for (String n : weightNames) {
            INDArray w = sd.getVariable(n).getArr();
            if (w != null && !w.wasClosed() && w.closeable()) w.close();
        }
    }

    /** The arrays reused between passes (for tests). */
    PassMemory passMemory() { return memory; }

    /**
     * Row 0 of a batch, as a batch of one (for recording a pass's plan cheaply, see {@link PassMemory#knows}).
     * That pass runs without a plan, so it holds all of its arrays (520 MB for the CIFAR config's
     * training step even at one row); they are closed right after it ({@link PassMemory#closeUnpinned})
     * rather than sitting in the pool through the first full pass.
     */
    private static INDArray firstRow(INDArray a) {
        long[] shape = a.shape().clone();
        shape[0] = 1;
        return a.reshape(a.size(0), -1).getRow(0).dup().reshape(shape);
    }

    /** The name of the gradient variable of {@code variable} in {@code g} (its gradient function must exist). */
    private static String gradientOf(SameDiff g, String variable) {
        return g.getVariable(variable).getGradient().name();
    }

    /** What a gradient pass of {@code g} returns: the loss and the weights' gradients. */
    private Set<String> resultsOfGradientPass(SameDiff g, String lossName) {
        Set<String> keep = new HashSet<>();
        keep.add(lossName);
        for (String w : weightNames) keep.add(gradientOf(g, w));
        return keep;
    }

    /**
     * One pass of {@code g} for the placeholders {@code ph}, its named results handed to {@code use}:
     * replayed when this kind of pass has been recorded at these shapes (see {@link PassMemory#replay}),
     * else run through SameDiff by {@code run}, which returns them by the same names (and recorded).
     * The results are the pass's own arrays, valid only inside {@code use}: the next pass overwrites them.
     */
    private <R> R pass(SameDiff g, String kind, boolean gradient, Supplier<Set<String>> results,
                       Map<String, INDArray> ph, Supplier<Map<String, INDArray>> run, Function<Map<String, INDArray>, R> use) {
        Map<String, INDArray> replayed = memory.replay(kind, ph);
        if (replayed != null) return use.apply(replayed);
        memory.beginPass(g, kind, gradient, results, ph);
        Map<String, INDArray> out = run.get();
        try {
            return use.apply(out);
        } finally {
            memory.recycle(); // the pass's arrays are handed out again on the next pass
        }
    }

    /** {@link #pass} returning copies of the results. */
    private Map<String, INDArray> pass(SameDiff g, String kind, boolean gradient, Supplier<Set<String>> results,
                                       Map<String, INDArray> ph, Supplier<Map<String, INDArray>> run) {
        return pass(g, kind, gradient, results, ph, run, r -> {
            Map<String, INDArray> out = new HashMap<>();
            for (String n : results.get()) out.put(n, r.get(n).dup());
            return out;
        });
    }

    /**
     * The loss and weight gradients of graph {@code g} for {@code ph}, handed to {@code use}; gradients
     * in {@link #weightNames()} order, arrays of the pass (see {@link #pass}).
     */
    private <R> R gradientPass(SameDiff g, String kind, String lossName, Map<String, INDArray> ph,
                               Function<LossAndGradients, R> use) {
        return pass(g, kind, true, () -> resultsOfGradientPass(g, lossName), ph, () -> {
            OutAndGrad o = g.calculateGradientsAndOutputs(ph, List.of(lossName), weightNames);
            Map<String, INDArray> byName = new HashMap<>();
            byName.put(lossName, o.getOutputs().get(lossName));
            for (String w : weightNames) byName.put(gradientOf(g, w), o.getGradients().get(w));
            return byName;
        }, r -> {
            Map<String, INDArray> grads = new LinkedHashMap<>();
            for (String w : weightNames) grads.put(w, r.get(gradientOf(g, w)));
            return use.apply(new LossAndGradients(r.get(lossName).getDouble(0), Collections.unmodifiableMap(grads)));
        });
    }

    /** [b, exampleShape...]. */
    long[] batchShape(long b) {
        long[] s = new long[exampleShape.length + 1];
        s[0] = b;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }

    public long[] exampleShape() { return exampleShape.clone(); }

    /** Number of values in one example (the product of its shape). */
    public long exampleSize() { return exampleSize; }

    public DataType dataType() { return type; }

    /** Trainable weight names, sorted. */
    public List<String> weightNames() { return weightNames; }

    /** The live weight arrays by name, in {@link #weightNames()} order; updated in place by training. */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : weightNames) m.put(n, sd.getVariable(n).getArr());
        return Collections.unmodifiableMap(m);
    }

    public long parameterCount() {
        long n = 0;
        for (String w : weightNames) n += sd.getVariable(w).getArr().length();
        return n;
    }

    /** Copies the given arrays into the live weights (e.g. the EMA weights before sampling). */
    public void loadWeights(Map<String, INDArray> values) {
        if (!values.keySet().containsAll(weightNames)) {
            List<String> missing = new ArrayList<>(weightNames);
            missing.removeAll(values.keySet());
            throw new IllegalArgumentException("weights missing for " + missing);
        }
        for (String n : weightNames) {
            INDArray live = sd.getVariable(n).getArr();
            INDArray v = values.get(n);
            if (!Arrays.equals(live.shape(), v.shape())) {
                throw new IllegalArgumentException("weight '" + n + "' has shape " + Arrays.toString(live.shape())
                        + ", cannot load " + Arrays.toString(v.shape()));
            }
            live.assign(v);
        }
    }

    /**
     * A copy of one weight in the reference implementation's layout (C order): what another
     * implementation of the same network loads (see {@link NetworkModel#storedAxes}; convolution
     * weights are stored [kh, kw, in, out] and exported [out, in, kh, kw]). One at a time: all of
     * them at once would be another copy of the network.
     */
    public INDArray referenceWeight(String name) {
        if (!weightNames.contains(name)) throw new IllegalArgumentException("no weight '" + name + "'");
        INDArray w = sd.getVariable(name).getArr();
        int[] axes = model.storedAxes(name);
        return axes == null ? w.dup('c') : w.permute(inverse(axes)).dup('c');
    }

    /** The shape of weight {@code name} in the reference implementation's layout. */
    public long[] referenceShape(String name) {
        if (!weightNames.contains(name)) throw new IllegalArgumentException("no weight '" + name + "'");
        long[] stored = sd.getVariable(name).getArr().shape();
        int[] axes = model.storedAxes(name);
        if (axes == null) return stored;
        long[] ref = new long[stored.length];
        for (int i = 0; i < axes.length; i++) ref[axes[i]] = stored[i];
        return ref;
    }

    /** Sets weight {@code name} from an array in the reference layout: the inverse of {@link #referenceWeight}. */
    public void loadReferenceWeight(String name, INDArray reference) {
        if (!Arrays.equals(referenceShape(name), reference.shape())) {
            throw new IllegalArgumentException("weight '" + name + "' has shape " + Arrays.toString(referenceShape(name))
                    + ", cannot load " + Arrays.toString(reference.shape()));
        }
        int[] axes = model.storedAxes(name);
        sd.getVariable(name).getArr().assign(axes == null ? reference : reference.permute(axes));
    }

    /** The permutation that undoes {@code axes}. */
    private static int[] inverse(int[] axes) {
        int[] back = new int[axes.length];
        for (int i = 0; i < axes.length; i++) back[axes[i]] = i;
        return back;
    }

    /** A snapshot (copy) of the live weights. */
    public Map<String, INDArray> copyWeights() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : weightNames) m.put(n, sd.getVariable(n).getArr().dup());
        return m;
    }

    /** The batch loss and its gradient with respect to every weight. */
    public record LossAndGradients(double loss, Map<String, INDArray> gradients) {}

    /**
     * Loss and weight gradients for perturbed inputs {@code xt} [B, shape...], their noise labels
     * [B], the noise that was added [B, shape...] and per-example loss weights [B].
     */
    public LossAndGradients lossAndGradients(INDArray xt, INDArray labels, INDArray noise, INDArray lossWeights) {
        return lossAndGradients(xt, labels, noise, lossWeights, 0L);
    }

    /**
     * As {@link #lossAndGradients(INDArray, INDArray, INDArray, INDArray)} through the model's training
     * graph (dropout on) when it has one, with ND4J's generator seeded with {@code layerSeed} first so
     * the dropout masks are a function of it.
     */
    public LossAndGradients lossAndGradients(INDArray xt, INDArray labels, INDArray noise, INDArray lossWeights,
                                             long layerSeed) {
        return withLossAndGradients(xt, labels, noise, lossWeights, layerSeed, lg -> {
            Map<String, INDArray> grads = new LinkedHashMap<>();
            lg.gradients().forEach((k, v) -> grads.put(k, v.dup()));
            return new LossAndGradients(lg.loss(), grads);
        });
    }

    /**
     * As {@link #lossAndGradients(INDArray, INDArray, INDArray, INDArray, long)}, but the gradients
     * handed to {@code use} are the pass's own arrays, not copies: valid only inside {@code use}
     * (the next pass of this network overwrites them), which may modify them (the optimizer uses
     * them as scratch space). Spares a copy of all gradients per step (247 MB for the CIFAR config).
     */
    public synchronized <R> R withLossAndGradients(INDArray xt, INDArray labels, INDArray noise, INDArray lossWeights,
                                                   long layerSeed, Function<LossAndGradients, R> use) {
        Map<String, INDArray> ph = Map.of(X, xt, LABEL, labels, TARGET, noise, WEIGHT, lossWeights);
        R result;
        if (!model.trainsDifferently()) {
            if (!memory.knows("train") && xt.size(0) > 1) {
                withLossAndGradients(firstRow(xt), firstRow(labels), firstRow(noise), firstRow(lossWeights), layerSeed, lg -> null);
                memory.closeUnpinned();
            }
            result = gradientPass(sd, "train", loss, ph, use);
        } else {
            long rows = xt.size(0);
            if (!memory.knows("train-dropout") && rows > 1) {
                // the plan is learnt on a throw-away one-row graph of the same ops, so that the first
                // full pass already returns arrays after their last reader (a pass without a plan
                // keeps all of them: 5 GB for the CIFAR config at batch 8)
                new TrainGraph(1).run(Map.of(X, firstRow(xt), LABEL, firstRow(labels), TARGET, firstRow(noise),
                        WEIGHT, firstRow(lossWeights)), layerSeed, lg -> null);
                memory.closeUnpinned();
            }
            if (trainGraph == null || trainGraph.rows != rows) trainGraph = new TrainGraph(rows);
            result = trainGraph.run(ph, layerSeed, use);
        }
        NativeMemory.collectIfDue();
        return result;
    }

    /**
     * The network built with {@link NetworkModel#defineForTraining} for a fixed batch size and the
     * same loss. It reads the main graph's weight arrays (the optimizer updates those in place, see
     * {@link #shareWeights}). Gradients come back under the same names.
     */
    private final class TrainGraph {
        private final long rows;
        private final SameDiff g;
        private final String lossName;

        TrainGraph(long rows) {
            this.rows = rows;
            g = SameDiff.create();
            if (model.reusesDefinedWeights()) {
                g.setVariablesArrays(new SingleThreadArrayHolder()); // holds the arrays given, no copies
                for (String n : weightNames) g.var(n, sd.getVariable(n).getArr());
            }
            SDVariable x = g.placeHolder(X, type, batchShape(rows));
            SDVariable label = g.placeHolder(LABEL, type, rows);
            lossName = attachLoss(g, model.defineForTraining(g, x, label), rows);
            checkSameWeights(g, null);
            shareWeights(g, false);
        }

        <R> R run(Map<String, INDArray> ph, long layerSeed, Function<LossAndGradients, R> use) {
            Nd4j.getRandom().setSeed(layerSeed);
            return gradientPass(g, "train-dropout", lossName, ph, use);
        }
    }

    /** The network's noise prediction eps_hat [B, shape...] for inputs x at noise labels [B]. */
    public INDArray predictNoise(INDArray x, INDArray labels) {
        INDArray eps;
        synchronized (this) {
            if (!memory.knows("forward") && x.size(0) > 1) {
                predictNoise(firstRow(x), firstRow(labels));
                memory.closeUnpinned();
            }
            Map<String, INDArray> ph = Map.of(X, x.castTo(type), LABEL, labels.castTo(type));
            eps = pass(sd, "forward", false, () -> Set.of(output), ph, () -> sd.output(ph, output)).get(output);
        }
        NativeMemory.collectIfDue();
        return eps;
    }

    /**
     * The score {@code -eps_hat(x, label(t)) / sigma(t)} with the current weights; the label is the
     * SDE's noise label at t, the same for the whole batch. Returns arrays of x's dtype. Its
     * {@link DifferentiableScore#vjp vjp} gives {@code v^T ∂score/∂x} through SameDiff (see
     * {@link #inputVjp}), always with the current weights.
     */
    public DifferentiableScore scoreFunction(Sde sde) {
        return new DifferentiableScore() {
            @Override
            public INDArray score(INDArray x, double t) {
                INDArray labels = Nd4j.valueArrayOf(new long[] {x.size(0)}, sde.noiseLabel().value(sde, t), type);
                INDArray eps = predictNoise(x, labels);
                return eps.muli(-1.0 / sde.marginalStd(t)).castTo(x.dataType());
            }

            @Override
            public INDArray vjp(INDArray x, double t, INDArray v) {
                INDArray labels = Nd4j.valueArrayOf(new long[] {x.size(0)}, sde.noiseLabel().value(sde, t), type);
                return inputVjp(x, labels, v).muli(-1.0 / sde.marginalStd(t)).castTo(x.dataType());
            }
        };
    }

    /**
     * {@code v^T ∂eps_hat(x, label)/∂x} for each row: the vector-Jacobian product of the noise
     * prediction with respect to its input, [B, shape...] in the network's dtype; x and v are not
     * modified.
     *
     * <p>SameDiff cannot take this gradient with respect to the training graph's input: that is a
     * placeholder, and in 1.0.0-M2.1 a gradient with respect to a placeholder grows memory without
     * bound. So a second graph of the same network is built on the first call, in which the input is
     * a <em>variable</em> ({@code vjp_x}) whose array is overwritten in place on every call, and
     * whose weights are the training graph's own arrays (so the product always uses the current,
     * e.g. EMA, weights). Its loss is {@code sum(eps_hat * v)}; the gradient of that
     * loss with respect to {@code vjp_x} is the VJP. The input array is reallocated only when the
     * number of rows changes. Memory stays flat over repeated calls (checked over 300 calls).
     * Not for concurrent use with training on another thread (it reads the live weights).
     */
    public synchronized INDArray inputVjp(INDArray x, INDArray labels, INDArray v) {
        long rows = x.size(0);
        if (x.length() != rows * exampleSize || v.length() != x.length() || v.size(0) != rows || labels.length() != rows) {
            throw new IllegalArgumentException("inputVjp needs x and v of shape [B, " + Arrays.toString(exampleShape)
                    + "...] and labels [B]; got " + Arrays.toString(x.shape()) + ", " + Arrays.toString(v.shape())
                    + ", " + Arrays.toString(labels.shape()));
        }
        if (vjpGraph == null) vjpGraph = new VjpGraph(rows);
        if (!memory.knows("vjp") && rows > 1) {
            vjpGraph.vjp(firstRow(x), firstRow(labels), firstRow(v));
            memory.closeUnpinned();
        }
        INDArray product = vjpGraph.vjp(x, labels, v);
        NativeMemory.collectIfDue();
        return product;
    }

    /**
     * The network on a variable input and the loss sum(eps_hat * v), its weights constants that are
     * the training graph's live arrays ({@link #shareWeights}).
     */
    private final class VjpGraph {
        private final SameDiff g;
        private INDArray input;

        VjpGraph(long rows) {
            g = SameDiff.create();
            // only the input's gradient is wanted: as constants, the weights get no gradient ops
            boolean predefined = model.reusesDefinedWeights();
            if (predefined) {
                g.setConstantArrays(new SingleThreadArrayHolder()); // holds the arrays given, no copies
                for (String n : weightNames) g.constant(n, sd.getVariable(n).getArr());
            }
            SDVariable xv = g.var(VJP_X, Nd4j.zeros(type, batchShape(rows)));
            SDVariable label = g.placeHolder(LABEL, type, -1);
            SDVariable v = g.placeHolder(VJP_V, type, batchShape(-1));
            SDVariable out = model.define(g, xv, label);
            String lossName = out.mul(v).sum().rename("vjp_loss").name();
            g.setLossVariables(lossName);
            if (predefined) {
                List<String> made = weightNamesOf(g, VJP_X);
                if (!made.isEmpty()) {
                    throw new IllegalStateException("the network created weights " + made
                            + " on a second build although it reuses defined ones");
                }
            } else {
                checkSameWeights(g, VJP_X);
                List<SDVariable> weights = new ArrayList<>();
                for (String n : weightNames) weights.add(g.getVariable(n));
                // this build's initial weights are freed first; the conversion copies the live
                // arrays into constants, and those copies are swapped for the live arrays in turn
                shareWeights(g, false);
                g.convertToConstants(weights);
            }
            shareWeights(g, true);
            // the array the graph reads (the holder's own), to overwrite in place
            input = g.getVariable(VJP_X).getArr();
        }

        INDArray vjp(INDArray x, INDArray labels, INDArray v) {
            long rows = x.size(0);
            if (input.size(0) != rows) {
                g.getVariable(VJP_X).setArray(Nd4j.zeros(type, batchShape(rows)));
                input = g.getVariable(VJP_X).getArr();
            }
            input.assign(x.castTo(type).reshape(input.shape()));
            Map<String, INDArray> ph = Map.of(LABEL, labels.reshape(rows).castTo(type),
                    VJP_V, v.reshape(batchShape(rows)).castTo(type));
            Map<String, INDArray> r = pass(g, "vjp", true, () -> Set.of(gradientOf(g, VJP_X)), ph, () -> {
                INDArray grad = g.calculateGradients(ph, VJP_X).get(VJP_X);
                return Map.of(gradientOf(g, VJP_X), grad);
            });
            return r.get(gradientOf(g, VJP_X)).reshape(x.shape());
        }
    }
}
