package org.sdex.core.run;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.EvaluateSettings;
import org.sdex.core.config.LikelihoodSettings;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.SdexException;
import org.sdex.core.evaluate.ClassifierFeatures;
import org.sdex.core.evaluate.FeatureNetwork;
import org.sdex.core.evaluate.ImageMetrics;
import org.sdex.core.interop.ReferenceWeights;
import org.sdex.core.train.InitialWeights;
import org.sdex.core.vocabulary.Block;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.data.MissingDataException;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.sample.SamplerPlugins;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/**
 * Checks a whole experiment before any compute: plugin names, every parameter's type and range,
 * every block's settings, and combinations that only fail when pieces meet (an analytic model
 * with a train block, a network without one, a predictor that does not support the SDE). Plugin
 * objects are created and the data splits opened here, because that is where they check the
 * combinations and shapes; the plan keeps them ({@link ExperimentPlan.Built}) and the run uses
 * them, so nothing is created or read twice. Every failure is a {@link ConfigException} pointing
 * at the line that caused it.
 */
public final class ExperimentValidator {
    private final PluginRegistry registry;
    private final RunOptions options;

    @Inject
    public ExperimentValidator(PluginRegistry registry, RunOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** Validates everything, the data files included: what {@code run} needs. */
    public ExperimentPlan validate(ExperimentConfig config) {
        return validate(config, null);
    }

    /**
     * A plan checked without needing the data files, and what is missing when they are not there
     * (null when they are): {@code sdex validate} on a machine that has not downloaded the data yet.
     */
    public record WithoutData(ExperimentPlan plan, String missingData) {}

    public WithoutData validateWithoutData(ExperimentConfig config) {
        List<String> missing = new ArrayList<>();
        ExperimentPlan plan = validate(config, missing);
        return new WithoutData(plan, missing.isEmpty() ? null : missing.get(0));
    }

    /** With {@code missing} null a missing data file is an error; otherwise it is noted there and checking goes on. */
    private ExperimentPlan validate(ExperimentConfig config, List<String> missing) {
        if (config.name == null || config.name.isBlank()) {
            throw new ConfigException(config.location, "the experiment needs a name: experiment('my_name') { ... }");
        }
        if (!config.name.matches("[A-Za-z0-9_.-]+")) {
            throw new ConfigException(config.location, "experiment name '" + config.name
                    + "' may contain only letters, digits, '_', '-' and '.' (it names the run directory)");
        }
        List<String> blocks = Vocabulary.runBlocks().stream().map(Block::name).toList();
        for (String s : config.sections.keySet()) {
            if (!blocks.contains(s)) {
                throw new ConfigException(config.section(s).location, "unknown block '" + s + "'. Accepted: " + String.join(", ", blocks));
            }
        }
        long seed = config.seed == null ? 0 : config.seed;
        if (config.seed != null) Vocabulary.EXPERIMENT.checkValue("seed", config.seed, config.seedLocation);

        Resolved<DatasetPlugin> data = resolve(PluginKind.DATASET, "data", config.data, config.location, DatasetPlugin.class);
        Resolved<SdePlugin> sdeRef = resolve(PluginKind.SDE, "sde", config.sde, config.location, SdePlugin.class);
        // 'init' and 'weights' are the model block's own settings (where the weights start), not the plugin's
        PluginRef modelPlugin = config.model == null ? null : config.model.copy();
        InitialWeights init = initialWeights(modelPlugin);
        Resolved<ModelPlugin> modelRef = resolve(PluginKind.MODEL, "model", modelPlugin, config.location, ModelPlugin.class);

        Sde sde = create(config.sde, () -> sdeRef.plugin().create(sdeRef.params()));
        Dataset dataset = openData(config.data.location, data, "train", missing);
        Section trainSection = config.section("train");
        TrainSettings written = trainSection == null ? null : TrainSettings.from(Vocabulary.TRAIN.read(trainSection, seed));
        // the weights are initialised from the train block's seed; the run uses this very model
        long modelSeed = written != null ? written.seed() : seed;
        // without the files and their shape (a custom image set), the model cannot be checked against the data
        Model model = dataset.shape() == null ? null : create(config.model, () -> modelRef.plugin().create(modelRef.params(),
                new ModelContext(sde, dataset, dataset.shape(), DataType.FLOAT, new Rng(modelSeed))));

        checkClasses(model, dataset, config, modelRef.name(), data.name(), trainSection);

        TrainSettings train = null;
        if (model instanceof AnalyticModel && init != null) {
            throw new ConfigException(config.model.location, "model '" + modelRef.name()
                    + "' is analytic and has no weights to initialise; remove init");
        }
        if (model instanceof AnalyticModel) {
            if (trainSection != null) {
                throw new ConfigException(trainSection.location, "model '" + modelRef.name()
                        + "' is analytic and has nothing to train; remove the train block");
            }
        } else {
            if (trainSection == null && options.resumeDir() == null && init == null) {
                throw new ConfigException(config.model.location, "model '" + modelRef.name()
                        + "' is a network and needs a train { ... } block, or init: with trained weights to start from");
            }
            if (trainSection != null || init == null) { // a network with init and no train block only samples
                Section s = trainSection != null ? trainSection : new Section();
                train = written != null ? written : TrainSettings.from(Vocabulary.TRAIN.read(s, seed));
                if (train.sampleEvery() > 0 && config.section("sample") == null) {
                    throw new ConfigException(s.where("sampleEvery"), "train setting 'sampleEvery' draws sample grids with the"
                            + " sample block; add a sample { ... } block or remove sampleEvery");
                }
            }
        }

        Map<String, Dataset> splits = new LinkedHashMap<>();
        splits.put("train", dataset);
        if (train != null && train.evalEvery() > 0 && dataset.size().isPresent()) {
            // the held-out loss reads the test split: opened now, not after hours of training
            splits.put("test", openData(config.data.location, data, "test", missing));
        }

        Section sampleSection = config.section("sample");
        SampleSettings sample = null;
        SamplingMethod sampling = null;
        SamplerPlugins samplerPlugins = null;
        if (sampleSection != null) {
            sampling = samplingMethod(sampleSection, sde);
            sampleSection = withoutScriptStepsForOverriddenWay(sampleSection, sampling);
            Section withDefaults = sampleSection.copy();
            if (sampling instanceof SamplingMethod.WholeTrajectory w && !sampleSection.values.containsKey("steps")) {
                withDefaults.set("steps", w.solver().plugin().defaultSteps(), sampleSection.location);
            }
            sample = SampleSettings.from(Vocabulary.SAMPLE.read(withDefaults, seed));
            samplerPlugins = check(sampleSection, sampling, sample, sde, config.section("condition") != null);
        }
        Conditioning condition = condition(config, seed, sde, dataset, model, sampling, sample, data, missing, splits);
        if (condition != null) sample = sample.withN(condition.samples()); // one sample per observation, or n per label
        ExperimentPlan.Likelihood likelihood = likelihood(config.section("likelihood"), seed, sde, dataset, model,
                data, config.data, modelRef.name(), missing, splits);
        ExperimentPlan.Evaluate evaluate = evaluate(config.section("evaluate"), seed, dataset, sample,
                data, config.data.name, missing, splits);
        if (options.points() != null && likelihood == null) {
            throw new ConfigException(config.location, "--points " + options.points()
                    + " needs a likelihood { ... } block to evaluate them with");
        }
        return new ExperimentPlan(config, seed, data, sdeRef, modelRef, init, train, sample, sampling, likelihood,
                evaluate, new ExperimentPlan.Built(sde, splits, model, samplerPlugins), condition);
    }

    /**
     * A class-conditional network needs data with as many classes as it has; label dropout is a
     * setting of class-conditional training only. Data whose files are absent are not checked.
     */
    private static void checkClasses(Model model, Dataset dataset, ExperimentConfig config, String modelName, String dataName,
                                     Section trainSection) {
        int classes = model instanceof NetworkModel n ? n.classes() : 0;
        if (classes == 0) {
            if (model instanceof NetworkModel && trainSection != null && trainSection.values.containsKey("labelDropout")) {
                throw new ConfigException(trainSection.where("labelDropout"), "train setting 'labelDropout' applies to"
                        + " class-conditional models; model '" + modelName + "' has no classes (set classes: N in the model block)");
            }
            return;
        }
        if (dataset instanceof AbsentData) return;
        if (dataset.classes() == 0) {
            throw new ConfigException(config.model.location, "model '" + modelName + "' has classes: " + classes + ", but data '"
                    + dataName + "' has no class labels; use labelled data (gmm, mnist, fashion, cifar10, image_folder with class"
                    + " folders) or classes: 0");
        }
        if (dataset.classes() != classes) {
            throw new ConfigException(config.model.location, "model '" + modelName + "' has classes: " + classes + ", but data '"
                    + dataName + "' has " + dataset.classes() + " classes; set classes: " + dataset.classes());
        }
    }


    /** The condition block checked and built (null without one, or when validating without the data files). */
    private Conditioning condition(ExperimentConfig config, long seed, Sde sde, Dataset dataset, Model model, SamplingMethod sampling,
                                   SampleSettings sample, Resolved<DatasetPlugin> data, List<String> missing, Map<String, Dataset> splits) {
        Section section = config.section("condition");
        if (section == null) {
            if (options.observations() != null) throw new ConfigException(config.location, "--observations needs a condition { ... } block with an operator");
            return null;
        }
        if (sampling == null) throw new ConfigException(section.location, "condition steers the sample block; add sample { ... }");
        ConditionCheck.Validation lent = new ConditionCheck.Validation() {
            @Override public <P extends Plugin> Resolved<P> resolve(PluginKind kind, String keyword, PluginRef ref, SourceLocation fallback, Class<P> type) {
                return ExperimentValidator.this.resolve(kind, keyword, ref, fallback, type);
            }

            @Override public Dataset split(String name) {
                return splits.computeIfAbsent(name, n -> openData(section.where("split"), data, n, missing));
            }
        };
        boolean present = model != null && (missing == null || missing.isEmpty());
        return new ConditionCheck(lent, section).build(seed, sde, dataset, model, sampling, sample, options.observations(), present);
    }

    private ExperimentPlan.Likelihood likelihood(Section section, long seed, Sde sde, Dataset dataset, Model model,
                                                 Resolved<DatasetPlugin> data, PluginRef dataRef, String modelName,
                                                 List<String> missing, Map<String, Dataset> splits) {
        if (section == null) return null;
        LikelihoodSettings settings = LikelihoodSettings.from(Vocabulary.LIKELIHOOD.read(section, seed));
        PluginRef ref = Vocabulary.LIKELIHOOD.chosen(section, "ode");
        Resolved<OdeSolverPlugin> ode = resolve(PluginKind.ODE_SOLVER, "ode", ref, section.location, OdeSolverPlugin.class);
        if (settings.eps() >= sde.T()) {
            throw new ConfigException(section.where("eps"), "likelihood setting 'eps' must be below the SDE's T = " + sde.T()
                    + ", got " + settings.eps());
        }
        if (options.points() == null && dataset.size().isEmpty() && settings.n() == 0) {
            throw new ConfigException(section.where("n"), "likelihood setting 'n' must be >= 1 for data drawn from a distribution"
                    + " (n = 0 means a whole split of a finite data set)");
        }
        if (options.points() == null && dataset.size().isPresent() && !settings.split().equals("train")) {
            // the split's files must exist and be readable: open it now, not after hours of training
            if (!splits.containsKey(settings.split())) splits.put(settings.split(), openData(dataRef.location, data, settings.split(), missing));
        }
        if (model instanceof AnalyticModel analytic && !(analytic.score() instanceof DifferentiableScore)) {
            throw new ConfigException(section.location, "model '" + modelName + "' gives no vector-Jacobian products of its score,"
                    + " which exact likelihoods need; use a network model or one whose score is a DifferentiableScore");
        }
        OdeSolver solver = create(ref, () -> ode.plugin().create(ode.params(), 1));
        return new ExperimentPlan.Likelihood(settings, ode, solver);
    }

    /**
     * The evaluate block: the samples exist, the data are 8-bit images, the reference and baseline
     * splits open, n fits the reference split, and the feature network loads and fits the images.
     * The network is loaded here, once; computing features waits for the run.
     */
    private ExperimentPlan.Evaluate evaluate(Section section, long seed, Dataset dataset, SampleSettings sample,
                                             Resolved<DatasetPlugin> data, String dataName, List<String> missing,
                                             Map<String, Dataset> splits) {
        if (section == null) return null;
        EvaluateSettings settings = EvaluateSettings.from(Vocabulary.EVALUATE.read(section, seed));
        if (sample == null) {
            throw new ConfigException(section.location, "evaluate measures the run's samples; add a sample { ... } block");
        }
        if (sample.n() < 2) {
            throw new ConfigException(section.location, "evaluate needs at least 2 samples; sample setting 'n' is " + sample.n());
        }
        boolean absent = dataset instanceof AbsentData;
        if (!absent && (dataset.pixels().isEmpty() || dataset.size().isEmpty() || dataset.shape().length != 3)) {
            throw new ConfigException(section.location, "evaluate compares images; data '" + dataName + "' gives "
                    + (dataset.size().isEmpty() ? "draws of a distribution" : "examples") + " of shape "
                    + java.util.Arrays.toString(dataset.shape()) + ", not 8-bit images [C, H, W]");
        }
        for (String split : List.of(settings.split(), settings.baselineSplit())) {
            if (!splits.containsKey(split)) splits.put(split, openData(section.where("split"), data, split, missing));
        }
        Dataset reference = splits.get(settings.split());
        if (!(reference instanceof AbsentData)) {
            long size = reference.size().orElseThrow();
            if (settings.n() > size || settings.n() == 1) {
                throw new ConfigException(section.where("n"), "evaluate setting 'n' must be 0 (all) or from 2 to the " + settings.split()
                        + " split's " + size + " images, got " + settings.n());
            }
        }
        return new ExperimentPlan.Evaluate(settings, featureNetwork(section, settings, dataset.shape()));
    }

    /** The feature network the evaluate block chose, loaded and checked against the data's image shape (null: unknown). */
    private static FeatureNetwork featureNetwork(Section section, EvaluateSettings settings, long[] imageShape) {
        boolean classifier = settings.features().equals("classifier");
        String wrong = classifier ? "inception" : "checkpoint";
        if (section.values.containsKey(wrong)) {
            throw new ConfigException(section.where(wrong), "evaluate setting '" + wrong + "' applies to features '"
                    + (classifier ? "inception" : "classifier") + "', not '" + settings.features() + "'; remove it");
        }
        if (classifier) {
            if (settings.checkpoint().isBlank()) {
                throw new ConfigException(section.where("features"), "features 'classifier' needs its checkpoint,"
                        + " like checkpoint 'experiments/classifiers/fashion.sdex' (a clean classifier of sdex classifier train)");
            }
            try {
                return ClassifierFeatures.open(java.nio.file.Path.of(settings.checkpoint()), imageShape, settings.batchSize());
            } catch (SdexException e) {
                throw new ConfigException(section.where("checkpoint"), "evaluate setting 'checkpoint': " + e.getMessage());
            }
        }
        java.nio.file.Path weights = settings.inception().isBlank()
                ? java.nio.file.Path.of(System.getProperty("user.home"), ".sdex", ImageMetrics.INCEPTION_WEIGHTS)
                : java.nio.file.Path.of(settings.inception());
        SourceLocation where = section.values.containsKey("inception") ? section.where("inception") : section.where("features");
        if (!java.nio.file.Files.isRegularFile(weights)) {
            throw new ConfigException(where, "features 'inception' needs the FID Inception weights, not found at " + weights
                    + "; download " + ImageMetrics.INCEPTION_URL + " there or name the file with inception 'PATH'"
                    + " (sdex does not ship them; for MNIST/Fashion use features 'classifier')");
        }
        try {
            return ImageMetrics.find().inception(weights, settings.batchSize());
        } catch (SdexException e) {
            throw new ConfigException(where, "evaluate setting 'inception': " + e.getMessage());
        }
    }

    /** One way of sampling: predictor/corrector (the default), ode, or solver, never two. */
    private SamplingMethod samplingMethod(Section section, Sde sde) {
        Map<String, PluginRef> chosen = section.plugins;
        for (String key : chosen.keySet()) {
            if (Vocabulary.SAMPLE.plugin(key) == null) throw Vocabulary.SAMPLE.unknown(key, chosen.get(key).location);
        }
        List<String> ways = new ArrayList<>();
        if (chosen.containsKey("predictor") || chosen.containsKey("corrector")) ways.add("predictor/corrector");
        if (chosen.containsKey("ode")) ways.add("ode");
        if (chosen.containsKey("solver")) ways.add("solver");
        if (ways.size() > 1) {
            // point at whichever came last (a --set comes after every line): that is what broke the block
            PluginRef second = chosen.values().stream()
                    .max(java.util.Comparator.comparing((PluginRef r) -> r.location.isOverride())
                            .thenComparingInt(r -> r.location.line())).orElseThrow();
            throw new ConfigException(second.location, "sample uses one way of sampling, found " + String.join(" and ", ways)
                    + ". Accepted: predictor/corrector, ode, solver");
        }
        if (chosen.containsKey("ode")) {
            return new SamplingMethod.ProbabilityFlowOde(resolve(PluginKind.ODE_SOLVER, "ode", chosen.get("ode"),
                    section.location, OdeSolverPlugin.class));
        }
        if (chosen.containsKey("solver")) {
            PluginRef ref = chosen.get("solver");
            Resolved<SolverPlugin> solver = resolve(PluginKind.SOLVER, "solver", ref, section.location, SolverPlugin.class);
            String why = solver.plugin().unsupported(sde, solver.params());
            if (why != null) throw new ConfigException(ref.location, "solver '" + solver.name() + "': " + why);
            return new SamplingMethod.WholeTrajectory(solver);
        }
        PluginRef p = Vocabulary.SAMPLE.chosen(section, "predictor");
        PluginRef c = Vocabulary.SAMPLE.chosen(section, "corrector");
        Resolved<PredictorPlugin> predictor = resolve(PluginKind.PREDICTOR, "predictor", p, section.location, PredictorPlugin.class);
        Resolved<CorrectorPlugin> corrector = resolve(PluginKind.CORRECTOR, "corrector", c, section.location, CorrectorPlugin.class);
        String why = predictor.plugin().unsupported(sde, predictor.params());
        if (why != null) throw new ConfigException(p.location, "predictor '" + predictor.name() + "': " + why);
        why = corrector.plugin().unsupported(sde, corrector.params());
        if (why != null) throw new ConfigException(c.location, "corrector '" + corrector.name() + "': " + why);
        if (predictor.name().equals("none") && corrector.name().equals("none")) {
            throw new ConfigException(section.location, "sample with predictor 'none' and corrector 'none' does nothing;"
                    + " choose a predictor (e.g. euler_maruyama) or a corrector (e.g. langevin)");
        }
        return new SamplingMethod.PredictorCorrector(predictor, corrector);
    }

    /**
     * When {@code --set} switched the way of sampling to an ODE or a solver, the script's settings
     * for its own way ({@code steps}, {@code probabilityFlow}) do not carry over: an adaptive ODE
     * chooses its steps and a solver has its own default. Settings given with {@code --set} stay.
     */
    private static Section withoutScriptStepsForOverriddenWay(Section section, SamplingMethod sampling) {
        PluginRef chosen = sampling instanceof SamplingMethod.ProbabilityFlowOde ? section.plugins.get("ode")
                : sampling instanceof SamplingMethod.WholeTrajectory ? section.plugins.get("solver") : null;
        if (chosen == null || !chosen.location.isOverride()) return section;
        Section s = section.copy();
        boolean ownSteps = sampling instanceof SamplingMethod.WholeTrajectory
                || ((SamplingMethod.ProbabilityFlowOde) sampling).solver().plugin().adaptive();
        for (String key : ownSteps ? List.of("steps", "probabilityFlow") : List.of("probabilityFlow")) {
            if (s.values.containsKey(key) && !s.where(key).isOverride()) {
                s.values.remove(key);
                s.locations.remove(key);
            }
        }
        return s;
    }

    /**
     * Combinations of settings and plugins that only fail together; the plugins are created here,
     * once for the run, and check what they were given.
     */
    private static SamplerPlugins check(Section section, SamplingMethod sampling, SampleSettings sample, Sde sde, boolean guided) {
        if (!(sampling instanceof SamplingMethod.PredictorCorrector) && section.values.containsKey("probabilityFlow")) {
            throw new ConfigException(section.where("probabilityFlow"), "setting 'probabilityFlow' applies to predictors;"
                    + " " + sampling.label() + " has its own way (remove the setting)");
        }
        if (sample.eps() >= sde.T()) {
            throw new ConfigException(section.where("eps"), "sample setting 'eps' must be below the SDE's T = " + sde.T()
                    + ", got " + sample.eps());
        }
        if (sampling instanceof SamplingMethod.ProbabilityFlowOde ode) {
            if (ode.solver().plugin().adaptive() && section.values.containsKey("steps")) {
                throw new ConfigException(section.where("steps"), "setting 'steps' does not apply to ode '" + ode.solver().name()
                        + "', which chooses its own steps; set its tolerances instead, e.g. ode '" + ode.solver().name()
                        + "', rtol: 1e-5, atol: 1e-5");
            }
        }
        return SamplerPlugins.create(sampling, sde, sample, guided, new SamplerPlugins.Creation() {
            @Override public <T> T create(String keyword, Supplier<T> factory) {
                return ExperimentValidator.create(Vocabulary.SAMPLE.chosen(section, keyword), factory);
            }
        });
    }

    /** The data context of this run: data root from the options, float32, the given split. */
    private DataContext dataContext(String split) {
        return new DataContext(options.dataRoot(), DataType.FLOAT, split);
    }

    private static PluginRef defaultRef(String name, SourceLocation where) {
        return new PluginRef(name, Map.of(), where);
    }

    /**
     * Takes the model block's {@code init} (a run directory, an .sdex checkpoint, a PyTorch or
     * safetensors file) and {@code weights} ({@code ema}, the default, or {@code model}) out of
     * {@code ref}'s parameters. The file is checked to exist and be of a known kind here; it is read
     * before the run directory is made.
     */
    private static InitialWeights initialWeights(PluginRef ref) {
        if (ref == null) return null;
        boolean weightsGiven = ref.params.containsKey("weights");
        Params own = Vocabulary.EXPERIMENT.plugin("model").takeSettings(ref);
        String path = own.string("init");
        if (path.isBlank()) {
            if (weightsGiven) throw new ConfigException(ref.location, "model setting 'weights' chooses among the weights of init; add init: FILE");
            return null;
        }
        InitialWeights w = new InitialWeights(java.nio.file.Path.of(path), ReferenceWeights.Choice.of(own.string("weights")));
        if (!java.nio.file.Files.exists(w.source())) {
            throw new ConfigException(ref.location, "model setting 'init': no file or directory '" + path
                    + "' (name the trained weights with --set model.init=PATH)");
        }
        try {
            w.kind();
        } catch (SdexException e) {
            throw new ConfigException(ref.location, "model setting " + e.getMessage());
        }
        return w;
    }

    private <P extends Plugin> Resolved<P> resolve(PluginKind kind, String setting, PluginRef ref,
                                                   SourceLocation fallback, Class<P> type) {
        if (ref == null || ref.name == null) {
            throw new ConfigException(fallback, "missing setting '" + setting + "'. Available: "
                    + String.join(", ", registry.names(kind)));
        }
        P plugin;
        try {
            plugin = registry.plugin(kind, ref.name, type);
        } catch (SdexException e) {
            throw new ConfigException(ref.location, e.getMessage());
        }
        try {
            return new Resolved<>(plugin, Params.of(plugin, ref.params));
        } catch (ParamException e) {
            throw new ConfigException(ref.location, e.getMessage());
        }
    }

    /**
     * Opens a split of the data set. Missing files are an error at {@code where} (the line that chose the data or the split),
     * unless {@code missing} collects them: then a stand-in of the shape the examples would have
     * (null when the files decide it) lets the rest of the experiment be checked.
     */
    private Dataset openData(SourceLocation where, Resolved<DatasetPlugin> data, String split, List<String> missing) {
        try {
            return data.plugin().open(data.params(), dataContext(split));
        } catch (MissingDataException e) {
            if (missing == null) throw new ConfigException(where, e.getMessage());
            missing.add(e.getMessage());
            return new AbsentData(e.shape().orElse(null));
        } catch (SdexException | IllegalArgumentException e) {
            throw new ConfigException(where, e.getMessage());
        }
    }

    /** A finite data set whose files are not there yet: its shape (or null), and nothing to read. */
    private record AbsentData(long[] shape) implements Dataset {
        @Override public OptionalLong size() { return OptionalLong.of(0); }

        @Override public INDArray sample(int n, Rng rng) {
            throw new IllegalStateException("the data files are missing; validation only");
        }
    }

    /** Runs a plugin's factory, turning its complaints into errors at the line that chose it. */
    static <T> T create(PluginRef ref, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (SdexException | IllegalArgumentException e) {
            throw new ConfigException(ref.location, e.getMessage());
        }
    }
}
