package org.sdex.core.train;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.ComputeFailure;
import org.sdex.core.error.SdexException;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.LabelledDraw;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous denoising score matching (Song et al. 2021, Eq. 7; the reference's get_sde_loss_fn)
 * in terms of the predicted noise: t ~ U(eps, T), z ~ N(0, I), x_t = alpha(t) x_0 + sigma(t) z and
 * {@code loss = mean_b w_b reduce_d (eps_hat(x_t, label(t)) - z)^2}, which is the reference's
 * {@code (score sigma + z)^2}; with likelihood weighting {@code w_b = g(t)^2 / sigma(t)^2}, which
 * makes it the reference's {@code g^2 (score + z / sigma)^2}. Adam with linear warm-up and
 * global-norm clipping, an EMA of the weights, checkpoints at fixed intervals.
 *
 * <p>A class-conditional network ({@link ScoreNetwork#classes()} > 0) is trained on labelled draws,
 * each label replaced by the null label with probability {@code labelDropout}, so that one network
 * learns the conditional and the unconditional score (classifier-free guidance, Ho and Salimans 2022).
 *
 * <p>Data (with labels), times, noise and the label dropout are all drawn from the state's
 * generator, in that order, so the loss sequence is a function of (seed, settings) alone and a
 * resumed run repeats an uninterrupted one exactly. The batch arrays are allocated once and refilled each step.
 */
public final class Trainer {
    private static final Logger log = LoggerFactory.getLogger(Trainer.class);
    /** Stream of the training generator, forked from the training seed (weights use the seed itself). */
    static final long TRAIN_STREAM = 0x747261696EL;
    /** Stream of the seeds of random training layers (dropout masks), forked again by step. */
    static final long LAYER_STREAM = 0x6C61796572L;

    private final ScoreNetwork net;
    private final Sde sde;
    private final Dataset data;
    private final TrainSettings settings;
    private final int batch;
    private final int size;
    /** The network's classes (0: unconditional, no labels drawn). */
    private final int classes;
    // reused every step: values in double, then copied into the placeholder arrays
    private final double[] x0v;
    private final double[] zv;
    private final double[] xtv;
    private final double[] labelv;
    private final double[] weightv;
    private final double[] alpha;
    private final double[] sigma;
    private final float[] floats;
    private final float[] batchFloats;
    private final INDArray xt;
    private final INDArray noise;
    private final INDArray labels;
    private final INDArray lossWeights;
    private final int[] classv;
    /** INT32 [batch]: each example's class, or the null label; null for an unconditional network. */
    private final INDArray classLabels;

    public Trainer(ScoreNetwork net, Sde sde, Dataset data, TrainSettings settings) {
        this.net = net;
        this.sde = sde;
        this.data = data;
        this.settings = settings;
        if (!(settings.eps() < sde.T())) {
            throw new SdexException("train.eps = " + settings.eps() + " must be below the SDE's end time T = " + sde.T());
        }
        classes = net.classes();
        if (classes > 0 && data.classes() != classes) {
            throw new SdexException("the network has " + classes + " classes but the data " + data + " has "
                    + (data.classes() == 0 ? "no labels" : data.classes() + " classes"));
        }
        batch = settings.batchSize();
        size = Math.toIntExact(net.exampleSize() * batch);
        x0v = new double[size];
        zv = new double[size];
        xtv = new double[size];
        labelv = new double[batch];
        weightv = new double[batch];
        alpha = new double[batch];
        sigma = new double[batch];
        DataType type = net.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("training supports FLOAT and DOUBLE networks, not " + type);
        }
        floats = type == DataType.FLOAT ? new float[size] : null;
        batchFloats = type == DataType.FLOAT ? new float[batch] : null;
        xt = Nd4j.create(type, net.batchShape(batch));
        noise = Nd4j.create(type, net.batchShape(batch));
        labels = Nd4j.create(type, batch);
        lossWeights = Nd4j.create(type, batch);
        classv = classes > 0 ? new int[batch] : null;
        classLabels = classes > 0 ? Nd4j.create(DataType.INT32, batch) : null;
    }

    /** A fresh state at step 0 for the network's current (initial) weights. */
    public TrainingState initialState() {
        Map<String, INDArray> w = net.weights();
        return new TrainingState(settings, 0, new Rng(settings.seed()).fork(TRAIN_STREAM),
                new Adam(settings.beta1(), settings.beta2(), settings.adamEps(), settings.weightDecay(), w),
                new Ema(settings.ema(), w));
    }

    /**
     * Trains from the state's step to {@code settings.steps()}, writing a checkpoint into
     * {@code store} every {@code checkpointEvery} steps and after the last (no checkpoints when
     * {@code store} is null). Exceptions from the listener stop training and propagate.
     *
     * @throws TrainingStopped when the listener asks to stop (after a checkpoint of that step)
     * @throws SdexException when the loss or the gradient norm is NaN or infinite
     */
    public void train(TrainingState state, CheckpointStore store, TrainListener listener) {
        Map<String, INDArray> weights = net.weights();
        Sanity sanity = new Sanity();
        while (state.step() < settings.steps()) {
            int step = state.step() + 1;
            fillBatch(state.rng());
            double lr = Adam.learningRate(settings.lr(), settings.warmup(), step, settings.lrDecay(), settings.steps());
            // training-only random layers (dropout) are seeded by (seed, step): resumed runs repeat them;
            // the gradients are the pass's own arrays (no copy), used up by the update
            double[] lossAndNorm = net.withLossAndGradients(xt, labels, classLabels, noise, lossWeights, layerSeed(step), lg -> {
                double norm = Adam.clipGlobalNorm(lg.gradients(), settings.gradClip());
                if (!Double.isFinite(lg.loss()) || !Double.isFinite(norm)) throw diverged(step, lg.loss(), norm, store, sanity);
                state.adam().step(weights, lg.gradients(), lr);
                return new double[] {lg.loss(), norm};
            });
            state.ema().update(weights);
            state.advance(step);
            listener.onStep(step, lossAndNorm[0], lr, lossAndNorm[1]);
            boolean sane = sanity.accept(lossAndNorm[0]);
            java.nio.file.Path written = null;
            if (store != null && (step % settings.checkpointEvery() == 0 || step == settings.steps())) {
                if (sane) {
                    written = store.write(net, state);
                    listener.onCheckpoint(step, written);
                    sanity.kept(step, lossAndNorm[0]);
                } else {
                    sanity.skipped(step, lossAndNorm[0]);
                    log.warn("checkpoint at step {} not written: the loss {} is more than {}x the running loss {}", step,
                            String.format("%.4g", lossAndNorm[0]), (int) Sanity.FACTOR, String.format("%.4g", sanity.running));
                }
            }
            if (step < settings.steps() && listener.stopAfter(step)) {
                if (written == null && store != null) {
                    written = store.write(net, state);
                    listener.onCheckpoint(step, written);
                }
                throw new TrainingStopped(step, written);
            }
        }
    }

    /** The seed of the random training layers at {@code step}: a stream of the training seed, forked by step. */
    long layerSeed(int step) {
        return new Rng(settings.seed()).fork(LAYER_STREAM).fork(step).nextLong();
    }

    private ComputeFailure diverged(int step, double loss, double norm, CheckpointStore store, Sanity sanity) {
        String what = !Double.isFinite(loss) ? "the loss is " + loss : "the gradient norm is " + norm;
        List<java.nio.file.Path> files = store == null ? List.of() : store.files();
        String kept;
        if (files.isEmpty()) {
            kept = "no checkpoint was written yet";
        } else if (sanity.keptStep > 0) {
            kept = "kept " + store.fileFor(sanity.keptStep) + " (step " + sanity.keptStep + ", loss " + String.format("%.4g", sanity.keptLoss)
                    + "), the last checkpoint whose loss was finite and within " + (int) Sanity.FACTOR + "x the running loss"
                    + (sanity.skipped.isEmpty() ? "" : "; not written: " + String.join(", ", sanity.skipped));
        } else {
            kept = "the last checkpoint " + files.get(0) + " is kept (from before this process)";
        }
        return new ComputeFailure("training diverged at step " + step + ": " + what + "; " + kept
                + " (try a smaller train.lr, a train.warmup or train.gradClip)");
    }

    /**
     * Whether a finite loss is sane enough to checkpoint: at most {@link #FACTOR} times the running
     * loss (an average over recent steps that insane losses do not enter). A diverging run's last
     * finite checkpoints are often garbage already (loss 1e8, huge weights); they are not written,
     * so the kept checkpoint is one worth resuming from.
     */
    static final class Sanity {
        static final double FACTOR = 100;
        double running = Double.NaN;
        int keptStep;
        double keptLoss;
        final List<String> skipped = new java.util.ArrayList<>();

        boolean accept(double loss) {
            if (!Double.isNaN(running) && loss > FACTOR * running) return false;
            running = Double.isNaN(running) ? loss : 0.9 * running + 0.1 * loss;
            return true;
        }

        void kept(int step, double loss) {
            keptStep = step;
            keptLoss = loss;
            skipped.clear();
        }

        void skipped(int step, double loss) { skipped.add("step " + step + " (loss " + String.format("%.4g", loss) + ")"); }
    }

    /**
     * Draws x_0 (the dataset, with labels for a class-conditional network), t, z and which labels
     * are dropped from {@code rng}, in that order, into the batch arrays.
     */
    void fillBatch(Rng rng) {
        INDArray x0;
        if (classes > 0) {
            LabelledDraw draw = data.sampleLabelled(batch, rng);
            x0 = draw.examples();
            if (draw.labels().length != batch) {
                throw new SdexException("the dataset returned " + draw.labels().length + " labels for a batch of " + batch);
            }
            System.arraycopy(draw.labels(), 0, classv, 0, batch);
        } else {
            x0 = data.sample(batch, rng);
        }
        if (x0.length() != size) {
            throw new SdexException("the dataset returned " + x0.length() + " values for a batch of " + batch
                    + " examples of shape " + java.util.Arrays.toString(net.exampleShape()) + " (expected " + size + ")");
        }
        copyOut(x0, x0v);
        double lo = settings.eps();
        double span = sde.T() - lo;
        boolean weighted = settings.likelihoodWeighting();
        int d = size / batch;
        for (int i = 0; i < batch; i++) {
            double t = lo + span * rng.nextDouble();
            alpha[i] = sde.meanScale(t);
            sigma[i] = sde.marginalStd(t);
            labelv[i] = sde.noiseLabel().value(sde, t);
            double g = sde.diffusion(t);
            weightv[i] = weighted ? g * g / (sigma[i] * sigma[i]) : 1.0;
        }
        rng.fillGaussian(zv, 0, size);
        for (int i = 0, k = 0; i < batch; i++) {
            double a = alpha[i], s = sigma[i];
            for (int j = 0; j < d; j++, k++) xtv[k] = a * x0v[k] + s * zv[k];
        }
        copyIn(xtv, xt);
        copyIn(zv, noise);
        copyIn(labelv, labels);
        copyIn(weightv, lossWeights);
        if (classes > 0) dropLabels(rng);
    }

    /** Each example's class becomes the null label with probability labelDropout (one draw per example, whatever the rate). */
    private void dropLabels(Rng rng) {
        double p = settings.labelDropout();
        for (int i = 0; i < batch; i++) {
            boolean drop = rng.nextDouble() < p;
            if (!drop && (classv[i] < 0 || classv[i] >= classes)) {
                throw new SdexException("the dataset returned class label " + classv[i] + ", outside [0, " + classes + ")");
            }
            if (drop) classv[i] = classes;
        }
        classLabels.data().setData(classv);
    }

    private static void copyOut(INDArray a, double[] out) {
        INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        if (c.dataType() == DataType.DOUBLE) {
            c.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(out);
        } else if (c.dataType() == DataType.FLOAT) {
            FloatBuffer fb = c.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < out.length; i++) out[i] = fb.get(i);
        } else {
            double[] v = c.data().asDouble();
            System.arraycopy(v, 0, out, 0, out.length);
        }
    }

    private void copyIn(double[] v, INDArray target) {
        if (target.dataType() == DataType.DOUBLE) {
            target.data().setData(v);
        } else {
            float[] f = v.length == floats.length ? floats : batchFloats;
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            target.data().setData(f);
        }
    }

    /** The batch arrays of the last {@link #fillBatch}: x_t, labels, z, loss weights (for tests). */
    INDArray[] lastBatch() { return new INDArray[] {xt, labels, noise, lossWeights}; }

    /** The class labels of the last {@link #fillBatch} (null label where dropped); null when unconditional (for tests). */
    int[] lastClasses() { return classv == null ? null : classv.clone(); }
}
