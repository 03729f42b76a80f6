package org.sdex.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** A plugin chosen by name with raw (not yet validated) parameters, and where it was chosen. */
public final class PluginRef {
    public String name;
    public Map<String, Object> params = new LinkedHashMap<>();
    public SourceLocation location = SourceLocation.UNKNOWN;

    public PluginRef() {}

    public PluginRef(String name, Map<String, ?> params, SourceLocation location) {
        this.name = name;
        if (params != null) this.params.putAll(params);
        this.location = location;
    }

    public PluginRef copy() { return new PluginRef(name, params, location); }
}
