package org.sdex.core.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.checkpoint.Checkpoint;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.error.ComputeFailure;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.MetricsLog;
import org.sdex.core.train.Adam;
import org.sdex.core.train.Ema;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/**
 * Trains a {@link ClassifierNetwork} by cross-entropy with Adam (warm-up, clipping) and an EMA of
 * the weights, on batches drawn with replacement from a labelled split by the counter-based
 * {@link Rng}. A noise-conditional classifier sees each example at its own time t ~ U[eps, T] as
 * {@code x_t = alpha(t) x_0 + sigma(t) z}. The held-out accuracy (per bin of t when
 * noise-conditional) and the training loss go to {@code metrics.jsonl}; checkpoints to
 * {@code checkpoints/}. A folder that already holds checkpoints of the same classifier is continued
 * from the newest valid one, exactly as if training had not stopped.
 */
public final class ClassifierTraining {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP_CHECKPOINTS = 2;

    private final ClassifierSettings settings;
    private final LabelledSplit train;
    private final LabelledSplit test;
    private final PluginChoice data;
    private final Sde sde;
    private final PluginChoice sdeChoice;

    /** What a training run ends with: the network (EMA weights loaded), its step, the final held-out scores and checkpoint. */
    public record Result(ClassifierNetwork network, int step, List<ClassifierEvaluation.Score> scores, Path checkpoint) {
        /** Held-out accuracy (the mean over the bins of t for a noise-conditional classifier). */
        public double accuracy() { return ClassifierEvaluation.meanAccuracy(scores); }
    }

    /**
     * @param data      the data set the splits come from (recorded in checkpoints)
     * @param sde       the SDE of a noise-conditional classifier, null for a clean one
     * @param sdeChoice the SDE's name and parameters (recorded), null for a clean one
     */
    public ClassifierTraining(ClassifierSettings settings, LabelledSplit train, LabelledSplit test, PluginChoice data,
                              Sde sde, PluginChoice sdeChoice) {
        if (!Arrays.equals(train.exampleShape(), test.exampleShape())) {
            throw new SdexException(test.name() + " has images " + Arrays.toString(test.exampleShape()) + ", "
                    + train.name() + " " + Arrays.toString(train.exampleShape()));
        }
        if ((sde == null) != (sdeChoice == null)) throw new IllegalArgumentException("an SDE needs its name, and only an SDE");
        this.settings = settings;
        this.train = train;
        this.test = test;
        this.data = data;
        this.sde = sde;
        this.sdeChoice = sdeChoice;
    }

    /** Trains into {@code out} (metrics.jsonl, checkpoints/), continuing its checkpoints if it has some; {@code report} gets one line per evaluation. */
    public Result run(Path out, Consumer<String> report) {
        ClassifierArchitecture arch = settings.architecture(train.exampleShape(),
                Math.max(train.classes(), test.classes()), sde != null);
        ClassifierNetwork net = new ClassifierNetwork(arch, sde, DataType.FLOAT, settings.seed());
        Map<String, INDArray> weights = net.weights();
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0, weights);
        Ema ema = new Ema(settings.emaDecay(), weights);
        Rng rng = new Rng(settings.seed()).fork(1);
        int step = 0;
        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), KEEP_CHECKPOINTS);
        Optional<Checkpoint> last = store.latestValid();
        if (last.isPresent()) {
            Checkpoint c = last.get();
            checkResumable(c, arch);
            ClassifierCheckpoint.of(c).load(net, c.weights());
            ema.restore(c.emaUpdates(), c.emaWeights());
            adam.restore(c.adamSteps(), c.adamFirstMoments(), c.adamSecondMoments());
            rng = Rng.fromState(c.rngState());
            step = c.step();
            report.accept("continuing " + out + " from step " + step);
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new SdexException("cannot create " + out + ": " + e.getMessage(), e);
        }
        Path metrics = out.resolve("metrics.jsonl");
        MetricsLog.truncateAfter(metrics, step);
        ObjectNode meta = ClassifierCheckpoint.metadata(net, settings, data, sdeChoice, train.pixels());
        List<ClassifierEvaluation.Score> scores = List.of();
        Path written = last.map(Checkpoint::file).orElse(null);
        try (MetricsLog log = new MetricsLog(metrics)) {
            if (step == 0) {
                // step 0: a resumed run's metrics keep it (lines without a step end the training history)
                log.write("classifier", Map.of("step", 0, "architecture", arch.toJson(), "parameters", net.parameterCount(),
                        "train", train.size(), "test", test.size(), "settings", JSON.valueToTree(settings)));
            }
            double lossSum = 0;
            int lossCount = 0;
            while (step < settings.steps()) {
                step++;
                double loss = step(net, rng, adam, ema, step);
                if (!Double.isFinite(loss)) {
                    throw new ComputeFailure("classifier training diverged at step " + step + " (loss " + loss + "); lower lr");
                }
                lossSum += loss;
                lossCount++;
                if (step % settings.logEvery() == 0 || step == settings.steps()) {
                    log.write("train", Map.of("step", step, "loss", lossSum / lossCount,
                            "lr", Adam.learningRate(settings.lr(), settings.warmup(), step)));
                    lossSum = 0;
                    lossCount = 0;
                }
                boolean end = step == settings.steps();
                if (step % settings.evalEvery() == 0 || end) {
                    scores = evaluate(net, ema, end ? 0 : settings.evalExamples());
                    log.write("eval", evalRecord(step, scores));
                    report.accept(describe(step, scores));
                }
                if (step % settings.checkpointEvery() == 0 || end) {
                    written = store.write(step, rng, weights, ema, adam, meta);
                }
            }
        }
        net.loadWeights(ema.weights());
        if (scores.isEmpty()) scores = ClassifierEvaluation.byNoiseLevel(net, test, 0, settings.noiseBins(), settings.eps());
        return new Result(net, step, scores, written);
    }

    /** One update on a batch drawn from the training split; returns the batch's loss. */
    private double step(ClassifierNetwork net, Rng rng, Adam adam, Ema ema, int step) {
        int b = settings.batchSize();
        int[] rows = new int[b];
        for (int i = 0; i < b; i++) rows[i] = rng.nextInt(train.size());
        INDArray x = train.images(rows).castTo(DataType.FLOAT);
        INDArray t = null;
        if (sde != null) {
            double[] ts = new double[b];
            double[] alpha = new double[b];
            double[] sigma = new double[b];
            for (int i = 0; i < b; i++) {
                ts[i] = settings.eps() + (sde.T() - settings.eps()) * rng.nextDouble();
                alpha[i] = sde.meanScale(ts[i]);
                sigma[i] = sde.marginalStd(ts[i]);
            }
            INDArray z = rng.normal(DataType.FLOAT, x.shape());
            long d = x.length() / b;
            INDArray flat = x.reshape('c', new long[] {b, d});
            flat.muliColumnVector(Nd4j.create(alpha, new long[] {b, 1}, DataType.FLOAT))
                    .addi(z.reshape('c', new long[] {b, d}).muliColumnVector(Nd4j.create(sigma, new long[] {b, 1}, DataType.FLOAT)));
            x = flat.reshape('c', x.shape());
            t = Nd4j.create(ts, new long[] {b}, DataType.DOUBLE);
        }
        ClassifierNetwork.LossAndGradients lg = net.lossAndGradients(x, t, train.labels(rows));
        Adam.clipGlobalNorm(lg.gradients(), settings.gradClip());
        adam.step(net.weights(), lg.gradients(), Adam.learningRate(settings.lr(), settings.warmup(), step));
        ema.update(net.weights());
        return lg.loss();
    }

    /** Held-out scores with the EMA weights; the trained weights are put back afterwards. */
    private List<ClassifierEvaluation.Score> evaluate(ClassifierNetwork net, Ema ema, int limit) {
        Map<String, INDArray> trained = new LinkedHashMap<>();
        net.weights().forEach((k, v) -> trained.put(k, v.dup()));
        net.loadWeights(ema.weights());
        try {
            return ClassifierEvaluation.byNoiseLevel(net, test, limit, settings.noiseBins(), settings.eps());
        } finally {
            net.loadWeights(trained);
        }
    }

    private Map<String, Object> evalRecord(int step, List<ClassifierEvaluation.Score> scores) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("examples", scores.get(0).examples());
        m.put("accuracy", ClassifierEvaluation.meanAccuracy(scores));
        m.put("crossEntropy", scores.stream().mapToDouble(ClassifierEvaluation.Score::crossEntropy).average().orElse(Double.NaN));
        if (sde != null) {
            List<Map<String, Object>> bins = new ArrayList<>();
            for (ClassifierEvaluation.Score s : scores) {
                bins.add(Map.of("t", s.t(), "noiseLevel", ClassifierNetwork.noiseLevel(sde, s.t()),
                        "accuracy", s.accuracy(), "crossEntropy", s.crossEntropy()));
            }
            m.put("byNoiseLevel", bins);
        }
        return m;
    }

    private static String describe(int step, List<ClassifierEvaluation.Score> scores) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "step %d: held-out accuracy %.4f on %d images",
                step, ClassifierEvaluation.meanAccuracy(scores), scores.get(0).examples()));
        if (scores.size() > 1 || !Double.isNaN(scores.get(0).t())) {
            sb.append(" (by t:");
            for (ClassifierEvaluation.Score s : scores) sb.append(String.format(Locale.ROOT, " %.2f: %.3f", s.t(), s.accuracy()));
            sb.append(')');
        }
        return sb.toString();
    }

    /** A folder's checkpoint continues only the same classifier on the same data with the same settings (but the bookkeeping). */
    private void checkResumable(Checkpoint c, ClassifierArchitecture arch) {
        ClassifierCheckpoint saved = ClassifierCheckpoint.of(c);
        List<String> diffs = new ArrayList<>();
        if (!saved.architecture().equals(arch)) diffs.add("architecture " + saved.architecture() + " -> " + arch);
        if (!saved.data().equals(data)) diffs.add("data " + saved.data() + " -> " + data);
        if (!java.util.Objects.equals(saved.sde(), sdeChoice)) diffs.add("sde " + saved.sde() + " -> " + sdeChoice);
        JsonNode now;
        try {
            now = JSON.readTree(JSON.writeValueAsString(settings)); // numbers typed as when read back from a file
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode then = saved.settings();
        now.fieldNames().forEachRemaining(k -> {
            if (!ClassifierSettings.BOOKKEEPING.contains(k) && !now.get(k).equals(then.get(k))) {
                diffs.add(k + " " + then.get(k) + " -> " + now.get(k));
            }
        });
        if (!diffs.isEmpty()) {
            throw new SdexException(c.file().getParent().getParent() + " holds a classifier trained differently ("
                    + String.join(", ", diffs) + "); choose another output folder or remove it");
        }
        if (c.step() > settings.steps()) {
            throw new SdexException(c.file() + " is at step " + c.step() + ", past the " + settings.steps() + " steps asked for");
        }
    }
}
