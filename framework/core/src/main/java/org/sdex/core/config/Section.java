package org.sdex.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw settings of one block of an experiment ({@code train}, {@code sample}): values as written,
 * where each was written, and the plugins chosen inside the block (e.g. sample's predictor).
 * Validated against the block's declared {@link org.sdex.spi.Param}s before any compute.
 */
public final class Section {
    public final Map<String, Object> values = new LinkedHashMap<>();
    public final Map<String, SourceLocation> locations = new LinkedHashMap<>();
    public final Map<String, PluginRef> plugins = new LinkedHashMap<>();
    public SourceLocation location = SourceLocation.UNKNOWN;

    public void set(String key, Object value, SourceLocation where) {
        values.put(key, value);
        locations.put(key, where);
    }

    public SourceLocation where(String key) {
        SourceLocation l = locations.get(key);
        return l != null ? l : location;
    }

    public Section copy() {
        Section s = new Section();
        s.values.putAll(values);
        s.locations.putAll(locations);
        plugins.forEach((k, v) -> s.plugins.put(k, v.copy()));
        s.location = location;
        return s;
    }
}
