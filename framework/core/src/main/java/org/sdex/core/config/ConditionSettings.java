package org.sdex.core.config;

import java.util.List;
import org.sdex.spi.Params;

/**
 * The condition block's settings (declared in {@link org.sdex.core.vocabulary.Vocabulary#CONDITION}):
 * where the observations come from and their noise, the labels to sample, the classifier checkpoints
 * that guide and judge. A component per setting.
 */
public record ConditionSettings(String split, int n, double noise, String observations, List<Integer> labels,
                                String classifier, String judge, int seed) {
    public ConditionSettings {
        labels = List.copyOf(labels);
    }

    public static ConditionSettings from(Params p) {
        return SettingsBinding.bind(ConditionSettings.class, p);
    }
}
