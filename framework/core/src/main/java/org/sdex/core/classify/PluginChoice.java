package org.sdex.core.classify;

import java.util.Map;
import java.util.TreeMap;

/**
 * A plugin by name with its parameters as given (the data set a classifier was trained on, the SDE
 * of a noise-conditional one), recorded in the classifier's checkpoint so it can be opened again.
 */
public record PluginChoice(String name, Map<String, Object> params) {
    public PluginChoice {
        params = Map.copyOf(params);
    }

    public static PluginChoice of(String name) { return new PluginChoice(name, Map.of()); }

    @Override
    public String toString() { return params.isEmpty() ? name : name + " " + new TreeMap<>(params); }
}
