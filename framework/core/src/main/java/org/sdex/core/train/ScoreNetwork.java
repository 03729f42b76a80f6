package org.sdex.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.memory.GraphPass;
import org.sdex.core.memory.PassMemory;
import org.sdex.core.memory.PassRunner;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.sde.Sde;

/**
 * A {@link NetworkModel} built once into a SameDiff graph for one example shape, with the
 * {@link DsmLoss} attached, and its weights. The network predicts the noise; the score is
 * {@link PreconditionedScore}. A class-conditional model ({@link NetworkModel#classes()} > 0) gets
 * each example's class through a placeholder ({@link ClassLabels}); without labels it is given the
 * null label. A model with training-only layers (dropout) is trained through a
 * {@link TrainingGraph} of a fixed batch size; input vector-Jacobian products (for likelihoods) go
 * through an {@link InputVjpGraph}; both are built on first use on this graph's weight arrays.
 * Gradients are only ever requested for variables: in SameDiff 1.0.0-M2.1 gradients with respect
 * to placeholders blow up memory.
 *
 * <p>Every pass goes through one {@link PassRunner}, which reuses arrays from pass to pass and
 * replays warm passes without SameDiff's session, with bit-for-bit the same results.
 */
public final class ScoreNetwork implements AutoCloseable {
    static final String X = "x";
    static final String LABEL = "noise_label";

    private final NetworkModel model;
    private final ClassLabels classes;
    private final SameDiff sd;
    private final long[] exampleShape;
    private final long exampleSize;
    private final DataType type;
    private final String output;
    private final DsmLoss loss;
    private final List<String> weightNames;
    private final ReferenceLayout referenceLayout;
    private final PassRunner passes = new PassRunner();
    private final GraphPass forward;
    private final GraphPass training;
    /** The training graph of a model that trains differently (dropout), built on first use; else null. */
    private TrainingGraph trainingGraph;
    /** The input-VJP graph, built on the first {@link #inputVjp} call; guarded by {@code this}. */
    private InputVjpGraph vjpGraph;

    /**
     * @param reduceMean average the squared error over data dimensions (else half the sum, as the
     *                   reference's {@code reduce_mean=False})
     */
    public ScoreNetwork(NetworkModel model, long[] exampleShape, DataType type, boolean reduceMean) {
        this.model = model;
        this.classes = new ClassLabels(model.classes());
        this.exampleShape = exampleShape.clone();
        this.type = type;
        long n = 1;
        for (long s : exampleShape) n *= s;
        this.exampleSize = n;
        sd = SameDiff.create();
        SDVariable x = sd.placeHolder(X, type, batchShape(-1));
        SDVariable label = sd.placeHolder(LABEL, type, -1);
        SDVariable out = classes.count() > 0 ? model.define(sd, x, label, ClassLabels.placeholder(sd, -1)) : model.define(sd, x, label);
        output = out.name();
        loss = new DsmLoss(reduceMean);
        loss.attach(sd, out, batchShape(-1), type);

        List<String> names = SharedWeights.weightNames(sd, null);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the network defines no trainable variables (create weights with sd.var)");
        }
        weightNames = List.copyOf(names);
        referenceLayout = new ReferenceLayout(model, w -> weightNames.contains(w) ? sd.getVariable(w).getArr() : null);
        forward = new ForwardPass();
        training = new LossGradientPass("train", rows -> sd, weightNames, () -> {});
    }

    /**
     * Frees the network's native memory now (the pass arrays, the replays, the weights) instead of
     * whenever the collector finds it unreachable; the network cannot be used afterwards.
     */
    @Override
    public synchronized void close() {
        passes.close();
        for (String n : weightNames) {
            INDArray w = sd.getVariable(n).getArr();
            if (w != null && !w.wasClosed() && w.closeable()) w.close();
        }
    }

    /** The arrays reused between passes (for tests). */
    PassMemory passMemory() { return passes.memory(); }

    /** Number of classes the network is conditioned on (0: unconditional); label {@code classes()} is the null label. */
    public int classes() { return classes.count(); }

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
     * implementation of the same network loads ({@link ReferenceLayout}).
     */
    public INDArray referenceWeight(String name) { return referenceLayout.weight(name); }

    /** The shape of weight {@code name} in the reference implementation's layout. */
    public long[] referenceShape(String name) { return referenceLayout.shape(name); }

    /** Sets weight {@code name} from an array in the reference layout: the inverse of {@link #referenceWeight}. */
    public void loadReferenceWeight(String name, INDArray reference) { referenceLayout.load(name, reference); }

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
    public <R> R withLossAndGradients(INDArray xt, INDArray labels, INDArray noise, INDArray lossWeights,
                                      long layerSeed, Function<LossAndGradients, R> use) {
        return withLossAndGradients(xt, labels, null, noise, lossWeights, layerSeed, use);
    }

    /**
     * As {@link #withLossAndGradients(INDArray, INDArray, INDArray, INDArray, long, Function)} with the
     * examples' class labels (INT32 [B] in [0, classes()]; null: the null label) for a class-conditional network.
     */
    public synchronized <R> R withLossAndGradients(INDArray xt, INDArray labels, INDArray classLabels, INDArray noise,
                                                   INDArray lossWeights, long layerSeed, Function<LossAndGradients, R> use) {
        Map<String, INDArray> inputs = classes.feed(Map.of(X, xt, LABEL, labels, DsmLoss.TARGET, noise, DsmLoss.WEIGHT, lossWeights),
                classLabels, xt.size(0));
        GraphPass pass = !model.trainsDifferently() ? training
                : new LossGradientPass("train-dropout", this::trainingGraph, weightNames,
                        () -> Nd4j.getRandom().setSeed(layerSeed));
        return passes.run(pass, inputs, r -> {
            Map<String, INDArray> grads = new LinkedHashMap<>();
            for (String w : weightNames) grads.put(w, r.get(w));
            return use.apply(new LossAndGradients(r.get(DsmLoss.NAME).getDouble(0), Collections.unmodifiableMap(grads)));
        });
    }

    /** The dropout graph for batches of {@code rows} (its batch size is fixed): rebuilt when that changes. */
    private SameDiff trainingGraph(long rows) {
        if (trainingGraph == null || trainingGraph.rows != rows) trainingGraph = new TrainingGraph(this, model, loss, rows);
        return trainingGraph.g;
    }

    /** The network's noise prediction eps_hat [B, shape...] for inputs x at noise labels [B] (the null class, if it has classes). */
    public INDArray predictNoise(INDArray x, INDArray labels) {
        return predictNoise(x, labels, null);
    }

    /** As {@link #predictNoise(INDArray, INDArray)} given the class of each row (INT32 [B]; null: the null label). */
    public INDArray predictNoise(INDArray x, INDArray labels, INDArray classLabels) {
        Map<String, INDArray> inputs = classes.feed(Map.of(X, x.castTo(type), LABEL, labels.castTo(type)), classLabels, x.size(0));
        return passes.run(forward, inputs, r -> r.get(output).dup());
    }

    /**
     * The preconditioned score {@code -eps_hat / sigma(t)} with the current weights
     * ({@link PreconditionedScore}); of a class-conditional network, a {@link ClassConditionalScore}
     * whose unconditional score is the null label's.
     */
    public DifferentiableScore scoreFunction(Sde sde) {
        PreconditionedScore score = new PreconditionedScore(this, sde);
        return classes.count() > 0 ? new ClassConditionalScore(score) : score;
    }

    /**
     * {@code v^T ∂eps_hat(x, label)/∂x} for each row: the vector-Jacobian product of the noise
     * prediction with respect to its input, [B, shape...] in the network's dtype, through the
     * {@link InputVjpGraph} built on the first call (of a class-conditional network, at the null
     * label: the unconditional score's); x and v are not modified. Memory stays flat
     * over repeated calls (checked over 300 calls). Not for concurrent use with training on another
     * thread (it reads the live weights).
     */
    public synchronized INDArray inputVjp(INDArray x, INDArray labels, INDArray v) {
        long rows = x.size(0);
        if (x.length() != rows * exampleSize || v.length() != x.length() || v.size(0) != rows || labels.length() != rows) {
            throw new IllegalArgumentException("inputVjp needs x and v of shape [B, " + Arrays.toString(exampleShape)
                    + "...] and labels [B]; got " + Arrays.toString(x.shape()) + ", " + Arrays.toString(v.shape())
                    + ", " + Arrays.toString(labels.shape()));
        }
        if (vjpGraph == null) vjpGraph = new InputVjpGraph(this, model, rows);
        Map<String, INDArray> inputs = classes.feed(Map.of(InputVjpGraph.X, x, LABEL, labels, InputVjpGraph.V, v), null, rows);
        return passes.run(vjpGraph, inputs, r -> r.get(InputVjpGraph.X).dup().reshape(x.shape()));
    }

    /** The evaluation graph's forward pass: the noise prediction. */
    private final class ForwardPass implements GraphPass {
        @Override public String kind() { return "forward"; }

        @Override public boolean gradient() { return false; }

        @Override public SameDiff graph(long rows) { return sd; }

        @Override public Map<String, String> results(SameDiff g) { return Map.of(output, output); }

        @Override
        public Map<String, INDArray> execute(SameDiff g, Map<String, INDArray> feed) {
            return g.output(feed, output);
        }
    }
}
