package org.sdex.core.sweep;

import java.util.Map;
import org.sdex.core.error.SdexException;

/** An executor setting from the command line, else from the script's {@code slurm { }} / {@code k8s { }} block. */
final class ExecutorOptions {
    private ExecutorOptions() {}

    static String text(String key, Map<String, Object> script, Map<String, String> options) {
        String o = options.get(key);
        return o != null ? o : script.get(key) != null ? script.get(key).toString() : null;
    }

    /** A count >= 0; a malformed option is one line naming it. */
    static int count(String key, Map<String, Object> script, Map<String, String> options, int fallback) {
        String o = options.get(key);
        if (o == null) return script.get(key) instanceof Number n ? n.intValue() : fallback;
        try {
            int n = Integer.parseInt(o.strip());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdexException("--" + key + " must be an integer >= 0, got '" + o + "'");
    }
}
