package org.sdex.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.plot.ImageGrid;
import org.sdex.core.plot.Plots;
import org.sdex.core.sample.Sampler;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.SlicedWasserstein;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a validated experiment: makes (or reopens) the run directory, writes the resolved config,
 * trains the network if there is one (resuming from the last good checkpoint), then samples and
 * writes samples.npy, a plot and the metrics, then measures the samples (evaluate) and likelihoods. Everything it writes lives in the run directory.
 */
public final class ExperimentRunner {
    private static final Logger log = LoggerFactory.getLogger(ExperimentRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Seed of the exact oracle draws the samples are compared with. */
    private static final long ORACLE_SEED = 7001;

    private final RunOptions options;

    @Inject
    public ExperimentRunner(RunOptions options) {
        this.options = options;
    }

    public RunResult run(ExperimentPlan plan) {
        return run(plan, null, options);
    }

    /**
     * Runs into exactly {@code folder} (a sweep point's), resuming from its checkpoints when an
     * earlier attempt left some, as {@code --resume} would.
     */
    public RunResult runIn(ExperimentPlan plan, java.nio.file.Path folder) {
        boolean resume = java.nio.file.Files.isDirectory(folder.resolve("checkpoints"));
        return resume ? run(plan, null, options.withResume(folder)) : run(plan, folder, options);
    }

    /** {@code folder}: the exact run folder to make (a sweep point's), or null for a new one under --out or the --resume one. */
    private RunResult run(ExperimentPlan plan, java.nio.file.Path folder, RunOptions options) {
        // the SDE, the data splits and the model were made while validating; nothing is opened twice
        Sde sde = plan.built().sde();
        Dataset data = plan.built().data();
        Model model = plan.built().model();
        // every input from outside is read and checked before the run directory exists or is touched
        if (plan.likelihood() != null && options.points() != null) LikelihoodStage.points(options.points(), data);
        // weights to start from are read, and fitted to the network, before anything is written
        ScoreNetwork initialised = null;
        if (plan.init() != null && model instanceof NetworkModel network) {
            initialised = new ScoreNetwork(network, data.shape(), DataType.FLOAT, plan.train() == null || plan.train().reduceMean());
            plan.init().loadInto(initialised);
            log.info("network initialised from {}", plan.init().describe());
        }
        RunDirectory dir;
        if (options.resumeDir() != null) {
            dir = RunDirectory.existing(options.resumeDir());
            if (!options.resumeChanged()) ResumeCheck.compare(dir.path(), plan.toMap(), defaults(plan));
        } else {
            dir = folder != null ? RunDirectory.at(folder) : RunDirectory.create(options.outDir(), plan.name());
        }
        try (RunDirectory.Lock lock = dir.lock()) {
            return run(plan, sde, data, model, initialised, dir, options);
        }
    }

    /** The default of every setting a checkpoint depends on, by its path in config.json (for {@link ResumeCheck}). */
    private static Map<String, Object> defaults(ExperimentPlan plan) {
        Map<String, Object> d = new java.util.HashMap<>();
        putDefaults(d, "data.params.", plan.data().plugin().parameters());
        putDefaults(d, "sde.params.", plan.sde().plugin().parameters());
        putDefaults(d, "model.params.", plan.model().plugin().parameters());
        putDefaults(d, "train.", org.sdex.core.vocabulary.Vocabulary.TRAIN.settings());
        return d;
    }

    private static void putDefaults(Map<String, Object> d, String prefix, java.util.List<org.sdex.spi.Param> params) {
        for (var p : params) if (p.defaultValue() != null) d.put(prefix + p.name(), p.defaultValue());
    }

    private RunResult run(ExperimentPlan plan, Sde sde, Dataset data, Model model,
                          ScoreNetwork initialised, RunDirectory dir, RunOptions options) {
        log.info("run directory {}", dir.path());
        writeJson(dir, "config.json", plan.toMap());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", plan.name());
        summary.put("runDir", dir.path().toString());
        ScoreFunction score;
        if (model instanceof AnalyticModel analytic) {
            score = analytic.score();
        } else if (plan.train() == null) { // trained weights from init: nothing to train
            summary.put("init", Map.of("source", plan.init().describe(), "parameters", initialised.parameterCount()));
            score = initialised.scoreFunction(sde);
        } else {
            score = TrainingStage.run((NetworkModel) model, initialised, sde, data, () -> plan.built().split("test"), plan, dir,
                    options, summary);
        }
        if (plan.sample() != null || plan.likelihood() != null) {
            try (MetricsLog metrics = new MetricsLog(dir.resolve("metrics.jsonl"))) {
                INDArray samples = plan.sample() == null ? null : sample(plan, sde, data, score, dir, metrics, summary, options);
                if (plan.evaluate() != null) EvaluateStage.run(plan, samples, dir, metrics, summary, options);
                if (plan.likelihood() != null) {
                    Dataset evalData = options.points() != null ? data : plan.built().split(plan.likelihood().settings().split());
                    LikelihoodStage.run(plan, sde, data, evalData, (DifferentiableScore) score, options, dir, metrics, summary);
                }
            }
        }
        writeJson(dir, "summary.json", summary);
        return new RunResult(dir.path(), summary);
    }

    /** Samples, writes them with their plot and metrics, and returns them (in the data's space). */
    private INDArray sample(ExperimentPlan plan, Sde sde, Dataset data, ScoreFunction score, RunDirectory dir,
                        MetricsLog metrics, Map<String, Object> summary, RunOptions options) {
        SampleSettings s = plan.sample();
        Sampler sampler = new Sampler(sde, score, plan.built().sampler(), s, plan.condition() == null ? null : plan.condition().guide());
        long start = System.nanoTime();
        Sampler.Result result;
        try (Progress bar = Progress.start("sample", sampler.progressUnits(), options.progress())) {
            result = sampler.sample(data.shape(), DataType.FLOAT, bar::stepTo);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        INDArray samples = result.samples();
        Npy.write(samples, dir.resolve("samples.npy"));
        String label = plan.sampling().label();
        boolean adaptive = plan.sampling() instanceof SamplingMethod.ProbabilityFlowOde ode && ode.solver().plugin().adaptive();
        if (s.plot() && samples.length() / samples.size(0) == 2) {
            String grid = adaptive ? String.format("%.0f NFE", result.nfe()) : s.steps() + " steps";
            Plots.scatter(samples, plan.name() + " — " + label + ", " + grid, dir.resolve("samples.png"));
        } else if (s.plot() && samples.rank() == 4 && data.pixels().isPresent()) {
            // the first 100 at most, as a square grid
            long shown = Math.min(samples.size(0), 100);
            INDArray first = shown == samples.size(0) ? samples
                    : samples.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, shown));
            ImageGrid.writeSquare(first, data.pixels().get(), dir.resolve("samples.png"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.n());
        m.put("method", label);
        if (!adaptive) m.put("steps", s.steps());
        m.put("nfe", result.nfe() == Math.rint(result.nfe()) ? (Object) (long) result.nfe() : result.nfe());
        m.put("nfeMax", result.nfeMax());
        m.put("seconds", seconds);
        m.put("samplesPerSecond", s.n() / seconds);
        m.put("finite", Double.isFinite(samples.sumNumber().doubleValue()));
        // where the data knows its support (the checkerboard's dark squares): the share of samples on it
        data.fractionInSupport(samples).ifPresent(f -> m.put("fractionInSupport", f));
        // where the data has an exact oracle: the distance to as many exact draws (sweep reports rank by it)
        data.mixture().map(GaussianMixture::new).filter(gm -> (Boolean) m.get("finite") && samples.size(0) > 1).ifPresent(gm ->
                m.put("slicedWasserstein", SlicedWasserstein.distance(samples.castTo(DataType.DOUBLE),
                        gm.sample((int) samples.size(0), new Rng(ORACLE_SEED), DataType.DOUBLE), 64, 11)));
        m.putAll(plan.sampling().describe());
        metrics.write("sample", m);
        summary.put("sample", m);
        if (plan.condition() != null) ConditionStage.report(plan.condition(), samples, data, dir, metrics, summary);
        log.info("sampled {} with {} in {} s ({} score evaluations per sample)", s.n(), label,
                String.format("%.1f", seconds), m.get("nfe"));
        return samples;
    }

    static void writeJson(RunDirectory dir, String name, Object value) {
        try {
            dir.writeString(name, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
