package org.sdex.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sde.Sde;

/**
 * A {@link NetworkModel} built once into a SameDiff graph for one example shape, with the denoising
 * score matching loss attached. The network predicts the noise; the score is
 * {@code -eps_hat / sigma(t)} (the preconditioning lives here, not in architectures). The
 * per-example loss weight is a placeholder, so one graph serves plain and likelihood-weighted
 * training. Gradients are only ever requested for the weights: in SameDiff 1.0.0-M2.1 gradients
 * with respect to placeholders blow up memory.
 */
public final class ScoreNetwork {
    static final String X = "x";
    static final String LABEL = "noise_label";
    static final String TARGET = "target_noise";
    static final String WEIGHT = "loss_weight";

    private final SameDiff sd;
    private final long[] exampleShape;
    private final long exampleSize;
    private final DataType type;
    private final String output;
    private final String loss;
    private final List<String> weightNames;

    /**
     * @param reduceMean average the squared error over data dimensions (else half the sum, as the
     *                   reference's {@code reduce_mean=False})
     */
    public ScoreNetwork(NetworkModel model, long[] exampleShape, DataType type, boolean reduceMean) {
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

        // loss = mean_b w_b reduce_d (eps_hat - z)^2
        SDVariable target = sd.placeHolder(TARGET, type, batchShape(-1));
        SDVariable w = sd.placeHolder(WEIGHT, type, -1);
        SDVariable diff = out.sub(target).reshape(-1, exampleSize);
        SDVariable sq = diff.mul(diff);
        SDVariable perExample = reduceMean ? sq.mean(1) : sq.sum(1).mul(0.5);
        loss = perExample.mul(w).mean().rename("dsm_loss").name();
        sd.setLossVariables(loss);

        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) names.add(v.name());
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the network defines no trainable variables (create weights with sd.var)");
        }
        // sorted, so iteration order (and the rounding of sums over weights) never depends on SameDiff's maps
        Collections.sort(names);
        weightNames = List.copyOf(names);
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
        Map<String, INDArray> ph = Map.of(X, xt, LABEL, labels, TARGET, noise, WEIGHT, lossWeights);
        OutAndGrad r = sd.calculateGradientsAndOutputs(ph, List.of(loss), weightNames);
        return new LossAndGradients(r.getOutputs().get(loss).getDouble(0), r.getGradients());
    }

    /** The network's noise prediction eps_hat [B, shape...] for inputs x at noise labels [B]. */
    public INDArray predictNoise(INDArray x, INDArray labels) {
        return sd.output(Map.of(X, x.castTo(type), LABEL, labels.castTo(type)), output).get(output);
    }

    /**
     * The score {@code -eps_hat(x, label(t)) / sigma(t)} with the current weights; the label is the
     * SDE's noise label at t, the same for the whole batch. Returns arrays of x's dtype.
     */
    public ScoreFunction scoreFunction(Sde sde) {
        return (x, t) -> {
            INDArray labels = Nd4j.valueArrayOf(new long[] {x.size(0)}, sde.noiseLabel().value(sde, t), type);
            INDArray eps = predictNoise(x, labels);
            return eps.muli(-1.0 / sde.marginalStd(t)).castTo(x.dataType());
        };
    }
}
