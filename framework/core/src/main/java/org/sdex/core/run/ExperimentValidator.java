package org.sdex.core.run;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/**
 * Checks a whole experiment before any compute: plugin names, every parameter's type and range,
 * every block's settings, and combinations that only fail when pieces meet (an analytic model
 * with a train block, a network without one, a predictor that does not support the SDE). Plugins
 * are instantiated here because that is where they check combinations; creating them is cheap.
 * Every failure is a {@link ConfigException} pointing at the line that caused it.
 */
public final class ExperimentValidator {
    /** Top-level blocks an experiment may have. */
    public static final List<String> SECTIONS = List.of("train", "sample");

    private final PluginRegistry registry;
    private final RunOptions options;

    @Inject
    public ExperimentValidator(PluginRegistry registry, RunOptions options) {
        this.registry = registry;
        this.options = options;
    }

    public ExperimentPlan validate(ExperimentConfig config) {
        if (config.name == null || config.name.isBlank()) {
            throw new ConfigException(config.location, "the experiment needs a name: experiment('my_name') { ... }");
        }
        if (!config.name.matches("[A-Za-z0-9_.-]+")) {
            throw new ConfigException(config.location, "experiment name '" + config.name
                    + "' may contain only letters, digits, '_', '-' and '.' (it names the run directory)");
        }
        for (String s : config.sections.keySet()) {
            if (!SECTIONS.contains(s)) {
                throw new ConfigException(config.section(s).location, "unknown block '" + s + "'. Accepted: " + String.join(", ", SECTIONS));
            }
        }
        long seed = config.seed == null ? 0 : config.seed;
        if (seed < 0) throw new ConfigException(config.seedLocation, "seed must be an integer >= 0, got " + seed);

        Resolved<DatasetPlugin> data = resolve(PluginKind.DATASET, "data", config.data, config.location, DatasetPlugin.class);
        Resolved<SdePlugin> sdeRef = resolve(PluginKind.SDE, "sde", config.sde, config.location, SdePlugin.class);
        Resolved<ModelPlugin> modelRef = resolve(PluginKind.MODEL, "model", config.model, config.location, ModelPlugin.class);

        Sde sde = create(config.sde, () -> sdeRef.plugin().create(sdeRef.params()));
        Dataset dataset = create(config.data, () -> data.plugin().open(data.params(), dataContext("train")));
        Model model = create(config.model, () -> modelRef.plugin().create(modelRef.params(),
                new ModelContext(sde, dataset, dataset.shape(), DataType.FLOAT, new Rng(seed))));

        Section trainSection = config.section("train");
        TrainSettings train = null;
        if (model instanceof AnalyticModel) {
            if (trainSection != null) {
                throw new ConfigException(trainSection.location, "model '" + modelRef.name()
                        + "' is analytic and has nothing to train; remove the train block");
            }
        } else {
            if (trainSection == null && options.resumeDir() == null) {
                throw new ConfigException(config.model.location, "model '" + modelRef.name()
                        + "' is a network and needs a train { ... } block");
            }
            Section s = trainSection != null ? trainSection : new Section();
            train = TrainSettings.from(settings("train", s, TrainSettings.PARAMS, seed));
        }

        Section sampleSection = config.section("sample");
        SampleSettings sample = null;
        Resolved<PredictorPlugin> predictor = null;
        Resolved<CorrectorPlugin> corrector = null;
        if (sampleSection != null) {
            for (String key : sampleSection.plugins.keySet()) {
                if (!key.equals("predictor") && !key.equals("corrector")) {
                    throw new ConfigException(sampleSection.plugins.get(key).location,
                            "unknown plugin setting '" + key + "' in sample. Accepted: predictor, corrector");
                }
            }
            sample = SampleSettings.from(settings("sample", sampleSection, SampleSettings.PARAMS, seed));
            predictor = resolve(PluginKind.PREDICTOR, "predictor",
                    sampleSection.plugins.getOrDefault("predictor", defaultRef(SampleSettings.DEFAULT_PREDICTOR, sampleSection.location)),
                    sampleSection.location, PredictorPlugin.class);
            corrector = resolve(PluginKind.CORRECTOR, "corrector",
                    sampleSection.plugins.getOrDefault("corrector", defaultRef(SampleSettings.DEFAULT_CORRECTOR, sampleSection.location)),
                    sampleSection.location, CorrectorPlugin.class);
            SamplerContext ctx = new SamplerContext(sde, NOT_DURING_VALIDATION, sample.steps(), sample.probabilityFlow());
            Resolved<PredictorPlugin> p = predictor;
            Resolved<CorrectorPlugin> c = corrector;
            create(sampleSection.plugins.getOrDefault("predictor", defaultRef(p.name(), sampleSection.location)),
                    () -> p.plugin().create(p.params(), ctx));
            create(sampleSection.plugins.getOrDefault("corrector", defaultRef(c.name(), sampleSection.location)),
                    () -> c.plugin().create(c.params(), ctx));
        }
        return new ExperimentPlan(config, seed, data, sdeRef, modelRef, train, sample, predictor, corrector);
    }

    /** The data context of this run: data root from the options, float32, the given split. */
    public DataContext dataContext(String split) {
        return new DataContext(options.dataRoot(), DataType.FLOAT, split);
    }

    private static final ScoreFunction NOT_DURING_VALIDATION = (x, t) -> {
        throw new IllegalStateException("plugins must not evaluate the score while being created");
    };

    private static PluginRef defaultRef(String name, SourceLocation where) {
        return new PluginRef(name, Map.of(), where);
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

    /** Runs a plugin's factory, turning its complaints into errors at the line that chose it. */
    private static <T> T create(PluginRef ref, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (SdexException | IllegalArgumentException e) {
            throw new ConfigException(ref.location, e.getMessage());
        }
    }

    /** Validates one block's settings; the experiment seed is the block's default seed. */
    private static Params settings(String block, Section section, List<Param> spec, long seed) {
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : spec) byName.put(p.name(), p);
        for (String key : section.values.keySet()) {
            if (!byName.containsKey(key)) {
                List<String> accepted = new ArrayList<>(byName.keySet());
                if (block.equals("sample")) accepted.addAll(List.of("predictor", "corrector"));
                throw new ConfigException(section.where(key), "unknown setting '" + key + "' in " + block
                        + ". Accepted: " + String.join(", ", accepted));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>(section.values);
        if (!values.containsKey("seed") && byName.containsKey("seed")) values.put("seed", seed);
        try {
            return Params.of(block, spec, values);
        } catch (ParamException e) {
            String msg = e.getMessage().replace(block + " parameter '", block + " setting '");
            throw new ConfigException(section.where(e.param()), msg);
        }
    }
}
