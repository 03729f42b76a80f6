package org.sdex.core.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.classify.ClassifierNetwork;
import org.sdex.core.config.ConditionSettings;
import org.sdex.core.plugin.Resolved;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.guide.Measurement;
import org.sdex.spi.operator.OperatorPlugin;

/**
 * The condition block, checked and built once by {@link ConditionCheck}: the guide and (for an
 * inverse problem) the operator with their parameters, the measurement, the ground truth the
 * observations were made from (null when they come from a file), one label per sample (null
 * without labels), the guide object the sampler binds per batch, and the clean classifier that
 * judges the samples (null without {@code judge}).
 */
public record Conditioning(Resolved<GuidePlugin> guidePlugin, Resolved<OperatorPlugin> operatorPlugin, ConditionSettings settings,
                           Measurement measurement, INDArray truth, int[] labels, Guide guide, ClassifierNetwork judge) {

    /** How many samples the run draws: one per observation, or n per label. */
    public int samples() {
        return measurement != null ? Math.toIntExact(measurement.observations().size(0)) : labels.length;
    }

    /** For config.json. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guide", guidePlugin.describe());
        if (operatorPlugin != null) m.put("operator", operatorPlugin.describe());
        m.put("settings", settings);
        m.put("samples", samples());
        return m;
    }
}
