package org.sdex.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sdex.core.config.EvaluateSettings;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.evaluate.FeatureNetwork;
import org.sdex.core.config.LikelihoodSettings;
import org.sdex.core.config.SampleSettings;
import org.sdex.spi.sampling.OdeSolverPlugin;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.train.InitialWeights;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.sde.SdePlugin;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.sample.SamplerPlugins;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.Model;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sde.Sde;

/**
 * A fully validated experiment: every plugin resolved with checked parameters and every block's
 * settings typed. Nothing here can fail for a reason the user could have been told about earlier.
 * {@code train} is null for analytic models; {@code sample} (with its sampling method) and
 * {@code likelihood} and {@code evaluate} are null when the experiment has no such block. {@link #built} holds the
 * objects validation made to check the experiment; the run uses these, so each plugin object is
 * created and each data split read once. {@code condition} (null without a condition block) is
 * the guide the sample block follows, with its measurement or labels.
 */
public record ExperimentPlan(ExperimentConfig config, long seed,
                             Resolved<DatasetPlugin> data, Resolved<SdePlugin> sde, Resolved<ModelPlugin> model,
                             InitialWeights init, TrainSettings train, SampleSettings sample, SamplingMethod sampling,
                             Likelihood likelihood, Evaluate evaluate, Built built, Conditioning condition) {

    /** The likelihood block: its settings and the ODE solver it integrates with (created). */
    public record Likelihood(LikelihoodSettings settings, Resolved<OdeSolverPlugin> ode, OdeSolver solver) {}

    /** The evaluate block: its settings and the feature network it measures with (loaded once, here). */
    public record Evaluate(EvaluateSettings settings, FeatureNetwork features) {}

    /**
     * The plugin objects of the experiment: the SDE, the data splits the run reads ("train", and
     * "test" or the likelihood's or evaluation's splits when a finite data set needs them), the model (null only when
     * validated without the data files) and the sample block's plugins (null without one).
     */
    public record Built(Sde sde, Map<String, Dataset> splits, Model model, SamplerPlugins sampler) {
        public Dataset data() { return splits.get("train"); }

        /** A split the run reads; a distribution has no splits, so every name is its draws. */
        public Dataset split(String name) {
            Dataset d = data().size().isEmpty() ? data() : splits.get(name);
            if (d == null) throw new IllegalStateException("split '" + name + "' was not opened during validation");
            return d;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String name() { return config.name; }

    /** The resolved configuration as a JSON-friendly tree (written to config.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", config.name);
        m.put("script", config.script);
        m.put("seed", seed);
        m.put("data", data.describe());
        m.put("sde", sde.describe());
        m.put("model", model.describe());
        if (init != null) m.put("init", Map.of("source", init.source().toString(), "weights", init.choice().name().toLowerCase(java.util.Locale.ROOT)));
        if (train != null) m.put("train", train);
        if (sample != null) {
            Map<String, Object> s = new LinkedHashMap<>(JSON.convertValue(sample, Map.class));
            s.putAll(sampling.describe());
            m.put("sample", s);
        }
        if (condition != null) m.put("condition", condition.describe());
        if (likelihood != null) {
            Map<String, Object> l = new LinkedHashMap<>(JSON.convertValue(likelihood.settings(), Map.class));
            l.put("ode", likelihood.ode().describe());
            m.put("likelihood", l);
        }
        if (evaluate != null) {
            Map<String, Object> e = new LinkedHashMap<>(JSON.convertValue(evaluate.settings(), Map.class));
            e.put("featureNetwork", evaluate.features().describe());
            m.put("evaluate", e);
        }
        return m;
    }

    /** Human-readable resolved configuration. */
    public String describe() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
