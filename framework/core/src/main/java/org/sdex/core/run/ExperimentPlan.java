package org.sdex.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.TrainSettings;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sde.SdePlugin;

/**
 * A fully validated experiment: every plugin resolved with checked parameters and every block's
 * settings typed. Nothing here can fail for a reason the user could have been told about earlier.
 * {@code train} is null for analytic models, {@code sample} (with its predictor and corrector) null
 * when the experiment only trains.
 */
public record ExperimentPlan(ExperimentConfig config, long seed,
                             Resolved<DatasetPlugin> data, Resolved<SdePlugin> sde, Resolved<ModelPlugin> model,
                             TrainSettings train, SampleSettings sample,
                             Resolved<PredictorPlugin> predictor, Resolved<CorrectorPlugin> corrector) {

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
        if (train != null) m.put("train", train);
        if (sample != null) {
            Map<String, Object> s = new LinkedHashMap<>(JSON.convertValue(sample, Map.class));
            s.put("predictor", predictor.describe());
            s.put("corrector", corrector.describe());
            m.put("sample", s);
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
