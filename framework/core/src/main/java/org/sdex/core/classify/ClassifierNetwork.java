package org.sdex.core.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.memory.NativeMemory;
import org.sdex.spi.random.Rng;
import org.sdex.spi.guide.NoisyClassifier;
import org.sdex.spi.sde.Sde;

/**
 * A small convolutional image classifier in SameDiff: stages of conv3x3, normalisation and swish, with
 * 2x2 average pooling between stages, then the global mean over pixels, a dense layer whose swish
 * output is the feature vector ({@link #features}, for FID/KID on small data sets) and a dense layer
 * to class logits. Without a batch-coupled layer every row is classified on its own, so per-row
 * input gradients come from the gradient of a batch sum.
 *
 * <p>A noise-conditional network classifies x_t of an SDE at time t: it sees the noise level
 * {@code log(sigma(t) / alpha(t))} (one scale for VE, VP and sub-VP: the log noise-to-signal ratio
 * of x_t), embedded by a two-layer MLP and added per channel after each stage's normalisation, as
 * the paper's noise-conditional classifier for class-conditional sampling.
 *
 * <p>Weights are drawn from {@link Rng} in a fixed order, so the same seed gives the same network.
 * Input gradients ({@link #logProbGradient}) come from a second graph in which the input is a
 * variable and the weights are this graph's own arrays as constants: in SameDiff 1.0.0-M2.1 a
 * gradient with respect to a placeholder grows memory without bound. SameDiff leaves a pass's
 * arrays to the garbage collector, so every pass ends with {@link NativeMemory#collectIfDue()}
 * (without it a 10-minute Fashion-MNIST run reached a 12 GB resident set).
 */
public final class ClassifierNetwork implements NoisyClassifier {
    static final String X = "x";
    static final String LEVEL = "noise_level";
    static final String ONE_HOT = "one_hot";
    static final String X_VARIABLE = "x_input";
    /** Width of the noise-level embedding. */
    static final int EMBEDDING = 64;

    private final ClassifierArchitecture arch;
    private final Sde sde;
    private final DataType type;
    private final SameDiff sd;
    private final List<String> weightNames;
    private final Map<String, INDArray> live;
    private final String logits;
    private final String features;
    private final String loss;
    /** The input-gradient graph, built on first use. */
    private GradientGraph gradientGraph;

    /**
     * @param sde the SDE whose x_t a noise-conditional network classifies; null for a clean one
     * @param seed the weights' initialisation
     */
    public ClassifierNetwork(ClassifierArchitecture arch, Sde sde, DataType type, long seed) {
        if (arch.noiseConditional() != (sde != null)) {
            throw new IllegalArgumentException(arch.noiseConditional() ? "a noise-conditional classifier needs its SDE"
                    : "a clean classifier has no SDE");
        }
        this.arch = arch;
        this.sde = sde;
        this.type = type;
        sd = SameDiff.create();
        Map<String, INDArray> init = initialWeights(arch, type, seed);
        for (Map.Entry<String, INDArray> e : init.entrySet()) sd.var(e.getKey(), e.getValue());
        weightNames = List.copyOf(init.keySet());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String n : weightNames) arrays.put(n, sd.getVariable(n).getArr());
        live = Collections.unmodifiableMap(arrays);
        SDVariable x = sd.placeHolder(X, type, batchShape(-1));
        SDVariable level = arch.noiseConditional() ? sd.placeHolder(LEVEL, type, -1) : null;
        SDVariable[] out = define(sd, x, level);
        features = out[0].name();
        logits = out[1].name();
        SDVariable oneHot = sd.placeHolder(ONE_HOT, type, -1, arch.classes());
        loss = oneHot.mul(logSoftmax(sd, out[1])).sum(1).mean().neg().rename("cross_entropy").name();
        sd.setLossVariables(loss);
    }

    // ---------------------------------------------------------------- weights

    /** Every weight by name, drawn in this order from one stream: the same seed, the same network. */
    private static Map<String, INDArray> initialWeights(ClassifierArchitecture arch, DataType type, long seed) {
        Rng rng = new Rng(seed);
        Map<String, INDArray> w = new LinkedHashMap<>();
        if (arch.noiseConditional()) {
            dense(w, "level/0/", 1, EMBEDDING, rng, type);
            dense(w, "level/1/", EMBEDDING, EMBEDDING, rng, type);
        }
        int[] ch = arch.channels();
        long in = arch.exampleShape()[0];
        for (int s = 0; s < ch.length; s++) {
            String p = "stage" + s + "/";
            // He-uniform for the swish that follows; stored [kh, kw, in, out] as oneDNN reads it
            w.put(p + "conv/weight", uniform(rng, Math.sqrt(2) * Math.sqrt(3.0 / (in * 9)), type, 3, 3, in, ch[s]));
            w.put(p + "conv/bias", Nd4j.zeros(type, ch[s]));
            w.put(p + "norm/weight", Nd4j.ones(type, ch[s]));
            w.put(p + "norm/bias", Nd4j.zeros(type, ch[s]));
            if (arch.noiseConditional()) {
                // zero: training starts from an unconditional network and learns what the level changes
                w.put(p + "level/weight", Nd4j.zeros(type, EMBEDDING, ch[s]));
                w.put(p + "level/bias", Nd4j.zeros(type, ch[s]));
            }
            in = ch[s];
        }
        dense(w, "features/", in, arch.features(), rng, type);
        dense(w, "logits/", arch.features(), arch.classes(), rng, type);
        return w;
    }

    /** A dense layer's weight [in, out] (LeCun-uniform) and zero bias. */
    private static void dense(Map<String, INDArray> w, String prefix, long in, long out, Rng rng, DataType type) {
        w.put(prefix + "weight", uniform(rng, Math.sqrt(3.0 / in), type, in, out));
        w.put(prefix + "bias", Nd4j.zeros(type, out));
    }

    private static INDArray uniform(Rng rng, double limit, DataType type, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = limit * (2 * rng.nextDouble() - 1);
        return Nd4j.create(v, shape, type);
    }

    // ---------------------------------------------------------------- the graph

    /**
     * The network on x [B, C, H, W] (and noise levels [B] when noise-conditional) in graph {@code g},
     * whose weights (variables or constants) already exist under their names: {features, logits}.
     */
    private SDVariable[] define(SameDiff g, SDVariable x, SDVariable level) {
        SDVariable embedding = null;
        if (level != null) {
            // levels lie in about [-7, 11] for the built-in SDEs; a quarter keeps the first layer in range
            SDVariable e = swish(g, linear(g, "level/0/", level.reshape(-1, 1).mul(0.25)));
            embedding = swish(g, linear(g, "level/1/", e));
        }
        int[] ch = arch.channels();
        SDVariable h = x;
        for (int s = 0; s < ch.length; s++) {
            String p = "stage" + s + "/";
            Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
            h = g.cnn.conv2d(h, g.getVariable(p + "conv/weight"), g.getVariable(p + "conv/bias"), conv);
            h = norm(g, p + "norm/", h);
            if (embedding != null) h = h.add(linear(g, p + "level/", embedding).reshape(-1, ch[s], 1, 1));
            h = swish(g, h);
            if (s < ch.length - 1) {
                h = g.cnn.avgPooling2d(h, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0)
                        .type(Pooling2D.Pooling2DType.AVG).paddingMode(PaddingMode.VALID).isNHWC(false).build());
            }
        }
        SDVariable pooled = h.mean(2, 3);
        SDVariable feat = swish(g, linear(g, "features/", pooled)).rename(g == sd ? "features" : "features_input");
        SDVariable out = linear(g, "logits/", feat).rename(g == sd ? "logits" : "logits_input");
        return new SDVariable[] {feat, out};
    }

    private static SDVariable linear(SameDiff g, String prefix, SDVariable x) {
        return x.mmul(g.getVariable(prefix + "weight")).add(g.getVariable(prefix + "bias"));
    }

    /**
     * log softmax over the classes, written out with the max shift for range: M2.1's LogSoftMax op
     * with a dimension fails when SameDiff builds its gradient function.
     */
    private static SDVariable logSoftmax(SameDiff g, SDVariable logits) {
        SDVariable shifted = logits.sub(logits.max(true, 1));
        return shifted.sub(g.math.log(g.math.exp(shifted).sum(true, 1)));
    }

    private static SDVariable swish(SameDiff g, SDVariable x) { return g.nn.swish(x); }

    /**
     * Normalisation over each example's channels and pixels (GroupNorm with one group), then scale and
     * shift per channel, as M2.1's native layer_norm op: GroupNorm of several groups written with
     * broadcast ops made a training step 3.7 times slower, through those ops' backward kernels.
     */
    private static SDVariable norm(SameDiff g, String prefix, SDVariable h) {
        return g.nn.layerNorm(h, g.getVariable(prefix + "weight"), g.getVariable(prefix + "bias"), true, 1, 2, 3);
    }

    // ---------------------------------------------------------------- passes

    /** [b, C, H, W]. */
    private long[] batchShape(long b) {
        long[] s = arch.exampleShape();
        return new long[] {b, s[0], s[1], s[2]};
    }

    /**
     * The noise level a noise-conditional network sees at time t: {@code log(sigma(t) / alpha(t))},
     * the log noise-to-signal ratio of x_t (increasing in t for every built-in SDE).
     */
    public static double noiseLevel(Sde sde, double t) { return Math.log(sde.marginalStd(t) / sde.meanScale(t)); }

    private Map<String, INDArray> placeholders(INDArray x, INDArray t) {
        checkInput(x);
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(X, x.castTo(type).reshape(batchShape(x.size(0))));
        if (sde != null) {
            if (t == null || t.length() != x.size(0)) {
                throw new IllegalArgumentException("a noise-conditional classifier needs one time per row; got "
                        + (t == null ? "none" : t.length()) + " for " + x.size(0) + " rows");
            }
            double[] lv = t.castTo(DataType.DOUBLE).data().asDouble();
            for (int i = 0; i < lv.length; i++) lv[i] = noiseLevel(sde, lv[i]);
            ph.put(LEVEL, Nd4j.create(lv, new long[] {lv.length}, type));
        }
        return ph;
    }

    private void checkInput(INDArray x) {
        long[] s = x.shape();
        if (s.length != 4 || !Arrays.equals(Arrays.copyOfRange(s, 1, 4), arch.exampleShape())) {
            throw new IllegalArgumentException("the classifier takes images [B, " + arch.exampleShape()[0] + ", "
                    + arch.exampleShape()[1] + ", " + arch.exampleShape()[2] + "]; got " + Arrays.toString(s));
        }
    }

    private static INDArray times(double t, long rows) { return Nd4j.valueArrayOf(new long[] {rows}, t, DataType.DOUBLE); }

    /** Class logits [B, K] of x [B, C, H, W] at times t [B] (ignored, may be null, for a clean classifier). */
    public synchronized INDArray logits(INDArray x, INDArray t) {
        INDArray out = sd.output(placeholders(x, t), logits).get(logits);
        NativeMemory.collectIfDue();
        return out;
    }

    /** Class logits of x at one time t for every row. */
    public INDArray logits(INDArray x, double t) { return logits(x, times(t, x.size(0))); }

    /** The feature vectors [B, F] of a clean classifier (the input of its last layer): what FID/KID compare. */
    public synchronized INDArray features(INDArray x) {
        if (sde != null) throw new IllegalStateException("features come from a clean classifier, this one is noise-conditional");
        INDArray out = sd.output(placeholders(x, null), features).get(features);
        NativeMemory.collectIfDue();
        return out;
    }

    /** Mean cross-entropy of the batch and its gradient with respect to every weight (by {@link #weightNames()}). */
    record LossAndGradients(double loss, Map<String, INDArray> gradients) {}

    synchronized LossAndGradients lossAndGradients(INDArray x, INDArray t, int[] labels) {
        Map<String, INDArray> ph = placeholders(x, t);
        ph.put(ONE_HOT, oneHot(labels));
        OutAndGrad o = sd.calculateGradientsAndOutputs(ph, List.of(loss), weightNames);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String w : weightNames) grads.put(w, o.getGradients().get(w));
        NativeMemory.collectIfDue();
        return new LossAndGradients(o.getOutputs().get(loss).getDouble(0), grads);
    }

    private INDArray oneHot(int[] labels) {
        INDArray h = Nd4j.zeros(type, labels.length, arch.classes());
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= arch.classes()) {
                throw new IllegalArgumentException("label " + labels[i] + " outside the classifier's classes 0.." + (arch.classes() - 1));
            }
            h.putScalar(i, labels[i], 1.0);
        }
        return h;
    }

    /**
     * {@code ∇_x log p_t(y_i | x_i)} for each row i: the gradient of the log-softmax of row i's
     * logits at its label with respect to row i, [B, C, H, W] in x's dtype. Classifier guidance adds
     * a multiple of this to the score. t may be null for a clean classifier.
     */
    public synchronized INDArray logProbGradient(INDArray x, INDArray t, int[] labels) {
        if (labels.length != x.size(0)) {
            throw new IllegalArgumentException(labels.length + " labels for " + x.size(0) + " rows");
        }
        Map<String, INDArray> ph = placeholders(x, t);
        INDArray input = ph.remove(X);
        ph.put(ONE_HOT, oneHot(labels));
        if (gradientGraph == null) gradientGraph = new GradientGraph();
        INDArray gradient = gradientGraph.gradient(input, ph).castTo(x.dataType());
        NativeMemory.collectIfDue();
        return gradient;
    }

    /** As {@link #logProbGradient(INDArray, INDArray, int[])} at one time for every row. */
    public INDArray logProbGradient(INDArray x, double t, int[] labels) {
        return logProbGradient(x, times(t, x.size(0)), labels);
    }

    @Override public int classes() { return arch.classes(); }

    /** Classifier guidance's gradient: the network's input gradient, with the weights it was loaded with (a checkpoint's EMA). */
    @Override
    public INDArray gradLogProbability(INDArray x, double t, int[] labels) { return logProbGradient(x, t, labels); }

    /**
     * The network on a variable input and the loss {@code sum_i log softmax(logits_i)[y_i]}, whose
     * gradient with respect to that variable is every row's input gradient at once. The weights are
     * constants holding the main graph's arrays (no copies, so always the current weights).
     */
    private final class GradientGraph {
        private final SameDiff g = SameDiff.create();
        private final String logProb;

        GradientGraph() {
            g.setConstantArrays(new SingleThreadArrayHolder()); // holds the arrays given, no copies
            for (String n : weightNames) g.constant(n, live.get(n));
            SDVariable x = g.var(X_VARIABLE, Nd4j.zeros(type, batchShape(1)));
            SDVariable level = arch.noiseConditional() ? g.placeHolder(LEVEL, type, -1) : null;
            SDVariable out = define(g, x, level)[1];
            SDVariable oneHot = g.placeHolder(ONE_HOT, type, -1, arch.classes());
            logProb = oneHot.mul(logSoftmax(g, out)).sum().rename("log_prob").name();
            g.setLossVariables(logProb);
        }

        INDArray gradient(INDArray x, Map<String, INDArray> ph) {
            SDVariable v = g.getVariable(X_VARIABLE);
            if (v.getArr().size(0) != x.size(0)) v.setArray(Nd4j.zeros(type, batchShape(x.size(0))));
            v.getArr().assign(x);
            return g.calculateGradients(ph, X_VARIABLE).get(X_VARIABLE).dup();
        }
    }

    // ---------------------------------------------------------------- weights access

    public ClassifierArchitecture architecture() { return arch; }

    /** The SDE of a noise-conditional network; null for a clean one. */
    public Sde sde() { return sde; }

    public DataType dataType() { return type; }

    /** Weight names in their fixed creation order. */
    public List<String> weightNames() { return weightNames; }

    /** The live weight arrays by name (the graph's own, updated in place by training and {@link #loadWeights}). */
    public Map<String, INDArray> weights() { return live; }

    public long parameterCount() { return live.values().stream().mapToLong(INDArray::length).sum(); }

    /** Copies {@code values} into the live weights; every weight must be there with its shape. */
    public void loadWeights(Map<String, INDArray> values) {
        List<String> problems = new ArrayList<>();
        for (String n : weightNames) {
            INDArray v = values.get(n);
            if (v == null) problems.add("'" + n + "' missing");
            else if (!Arrays.equals(v.shape(), live.get(n).shape())) {
                problems.add("'" + n + "' has shape " + Arrays.toString(v.shape()) + ", the network " + Arrays.toString(live.get(n).shape()));
            }
        }
        for (String n : values.keySet()) if (!weightNames.contains(n)) problems.add("'" + n + "' is not a weight of the network");
        if (!problems.isEmpty()) throw new IllegalArgumentException("weights do not fit the classifier: " + problems.get(0));
        for (String n : weightNames) live.get(n).assign(values.get(n));
    }
}
