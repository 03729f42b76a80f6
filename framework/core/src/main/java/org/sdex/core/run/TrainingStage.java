package org.sdex.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.memory.ResidentMemory;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.plot.Plots;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.core.train.TrainListener;
import org.sdex.core.train.Trainer;
import org.sdex.core.train.TrainingState;
import org.sdex.spi.data.Dataset;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.plot.ImageGrid;
import org.sdex.core.sample.Sampler;
import org.sdex.core.train.Evaluator;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sde.Sde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training part of a run: builds the network, restores the last valid checkpoint when
 * resuming, trains with a progress bar and metrics, plots the loss, and hands back the score of the
 * EMA weights for sampling.
 */
final class TrainingStage {
    private static final Logger log = LoggerFactory.getLogger(TrainingStage.class);

    private TrainingStage() {}

    /** {@code initialised}: the network with the weights of the model's init (training fine-tunes them), or null. */
    static DifferentiableScore run(NetworkModel model, ScoreNetwork initialised, Sde sde, Dataset data, Supplier<Dataset> heldOut,
                                   ExperimentPlan plan, RunDirectory dir, RunOptions options, Map<String, Object> summary) {
        TrainSettings s = plan.train();
        ScoreNetwork net = initialised != null ? initialised : new ScoreNetwork(model, data.shape(), DataType.FLOAT, s.reduceMean());
        Trainer trainer = new Trainer(net, sde, data, s);
        TrainingState state = trainer.initialState();
        CheckpointStore store = new CheckpointStore(dir.checkpoints(), s.keepCheckpoints());
        Optional<Integer> resumed = options.resumeDir() != null ? store.restoreLatest(net, state) : Optional.empty();
        resumed.ifPresent(step -> log.info("resuming at step {} from {}", step, store.dir()));
        // lines after the restored step will be produced again
        MetricsLog.truncateAfter(dir.resolve("metrics.jsonl"), resumed.orElse(0));
        TensorBoardLog.truncateAfter(dir.resolve("tensorboard"), resumed.orElse(0));
        log.info("network: {} parameters", net.parameterCount());

        Evaluator evaluator = s.evalEvery() > 0 ? new Evaluator(net, sde, heldOut.get(), s, s.seed()) : null;
        long start = System.nanoTime();
        int first = state.step();
        // SIGTERM / SIGUSR1 from here on stop training with a checkpoint (sweeps on preemptible nodes)
        Preemption.arm();
        try (MetricsLog metrics = new MetricsLog(dir.resolve("metrics.jsonl"));
             TensorBoardLog tb = s.tensorboard() ? new TensorBoardLog(dir.resolve("tensorboard")) : null;
             Progress bar = Progress.start("train", s.steps(), first, options.progress())) {
            trainer.train(state, store, new TrainListener() {
                double window;
                int count;
                double smooth = Double.NaN;

                @Override
                public void onStep(int step, double loss, double lr, double gradNorm) {
                    window += loss;
                    count++;
                    smooth = Double.isNaN(smooth) ? loss : 0.98 * smooth + 0.02 * loss;
                    if (step % s.logEvery() == 0 || step == s.steps()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("step", step);
                        m.put("loss", window / count);
                        m.put("lastLoss", loss);
                        m.put("lr", lr);
                        m.put("gradNorm", gradNorm);
                        m.put("seconds", (System.nanoTime() - start) / 1e9);
                        // resident set size: off-heap tensors are invisible to the Java heap figures
                        m.put("rssMB", ResidentMemory.megabytes());
                        metrics.write("train", m);
                        if (tb != null) {
                            tb.scalar("train/loss", step, window / count);
                            tb.scalar("train/lr", step, lr);
                            tb.scalar("train/grad_norm", step, gradNorm);
                        }
                        window = 0;
                        count = 0;
                    }
                    boolean eval = evaluator != null && (step % s.evalEvery() == 0 || step == s.steps());
                    boolean grid = s.sampleEvery() > 0 && (step % s.sampleEvery() == 0 || step == s.steps());
                    if (eval || grid) {
                        // with the EMA weights, as the reference evaluates and samples; then back to training
                        Map<String, INDArray> training = net.copyWeights();
                        net.loadWeights(state.ema().weights());
                        if (eval) {
                            double evalLoss = evaluator.loss();
                            metrics.write("eval", Map.of("step", step, "loss", evalLoss));
                            if (tb != null) tb.scalar("eval/loss", step, evalLoss);
                        }
                        if (grid) sampleGrid(net, sde, data, plan, dir, step, metrics);
                        net.loadWeights(training);
                    }
                    bar.stepTo(step);
                    bar.message(String.format("loss %.4f", smooth));
                }

                @Override
                public void onCheckpoint(int step, java.nio.file.Path file) {
                    metrics.write("checkpoint", Map.of("step", step, "file", dir.path().relativize(file).toString()));
                }

                /** At a logged step, so the resumed run's first logged mean covers the same steps. */
                @Override
                public boolean stopAfter(int step) {
                    return Preemption.requested() != null && step % s.logEvery() == 0;
                }
            });
        } finally {
            Preemption.disarm();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double finalLoss = plotLoss(dir, dir.path().getFileName().toString());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("parameters", net.parameterCount());
        t.put("steps", s.steps());
        t.put("resumedAt", resumed.orElse(null));
        t.put("seconds", seconds);
        t.put("stepsPerSecond", (s.steps() - first) / Math.max(seconds, 1e-9));
        t.put("finalLoss", finalLoss);
        log.info("trained {} steps in {}; final loss {}", s.steps() - first, Durations.show(seconds),
                String.format(java.util.Locale.ROOT, "%.4f", finalLoss));
        summary.put("train", t);
        net.loadWeights(state.ema().weights());
        return net.scoreFunction(sde);
    }

    /** A grid of samples with the current (EMA) weights and the sample block's method, fixed seed. */
    private static void sampleGrid(ScoreNetwork net, Sde sde, Dataset data, ExperimentPlan plan, RunDirectory dir, int step,
                                   MetricsLog metrics) {
        SampleSettings base = plan.sample();
        TrainSettings s = plan.train();
        SampleSettings grid = new SampleSettings(base.steps(), s.sampleGrid(), 0, base.eps(), base.denoise(),
                base.probabilityFlow(), true, base.seed());
        INDArray x = new Sampler(sde, net.scoreFunction(sde), plan.built().sampler(), grid)
                .sample(data.shape(), net.dataType(), null).samples();
        Path file = dir.resolve(String.format("samples/step-%07d.png", step));
        if (data.pixels().isPresent() && x.rank() == 4) {
            ImageGrid.writeSquare(x, data.pixels().get(), file);
        } else if (x.length() / x.size(0) == 2) {
            Plots.scatter(x, plan.name() + " at step " + step, file);
        } else {
            return;
        }
        metrics.write("samples", Map.of("step", step, "file", dir.path().relativize(file).toString()));
    }

    /** Plots the logged loss (resumed runs included) and returns its last value, the end of training's loss. */
    private static double plotLoss(RunDirectory dir, String run) {
        if (!Files.exists(dir.resolve("metrics.jsonl"))) return Double.NaN;
        List<Double> steps = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(dir.resolve("metrics.jsonl"))) {
            if ("train".equals(n.path("event").asText())) {
                steps.add(n.get("step").asDouble());
                loss.add(n.get("loss").asDouble());
            }
        }
        if (steps.size() >= 2) {
            Plots.loss(run, steps.stream().mapToDouble(d -> d).toArray(), loss.stream().mapToDouble(d -> d).toArray(), dir.resolve("loss.png"));
        }
        return loss.isEmpty() ? Double.NaN : loss.get(loss.size() - 1);
    }
}
