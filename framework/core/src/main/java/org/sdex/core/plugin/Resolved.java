package org.sdex.core.plugin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sdex.spi.Params;
import org.sdex.spi.Plugin;

/** A plugin chosen by the experiment with its validated parameters (defaults filled in). */
public record Resolved<P extends Plugin>(P plugin, Params params) {
    public String name() { return plugin.name(); }

    /** {name, params} for the resolved config written to the run directory. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", plugin.name());
        m.put("version", plugin.version());
        m.put("params", params.asMap());
        return m;
    }
}
