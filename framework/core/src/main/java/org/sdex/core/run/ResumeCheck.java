package org.sdex.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.sdex.core.error.SdexException;

/**
 * Before {@code --resume} touches a run directory: the experiment now must be the one the run was
 * started with (its config.json) in everything that shapes the checkpoints (seed, data, SDE, model,
 * training). Sampling and likelihood settings may change. The first difference is named. A
 * setting the run's config.json does not have (the run was started by an sdex that did not know
 * it) is no difference when it now holds its default: the run was made with that behaviour.
 */
final class ResumeCheck {
    private ResumeCheck() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The parts of config.json a checkpoint depends on, in the order they are compared. */
    static final List<String> COMPARED = List.of("seed", "data", "sde", "model", "train");

    static void compare(Path runDir, Map<String, Object> now) {
        compare(runDir, now, Map.of());
    }

    /** @param defaults the default of each setting by its path in config.json, e.g. {@code model.params.classes} */
    static void compare(Path runDir, Map<String, Object> now, Map<String, Object> defaults) {
        Path file = runDir.resolve("config.json");
        JsonNode before;
        try {
            before = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new SdexException("--resume: cannot read " + file + " (" + e.getMessage() + "); is it an sdex run directory?");
        }
        JsonNode current = JSON.valueToTree(now);
        JsonNode defaultValues = JSON.valueToTree(defaults);
        for (String key : COMPARED) {
            String diff = firstDifference(key, before.path(key), current.path(key), defaultValues);
            if (diff != null) {
                throw new SdexException("--resume " + runDir + ": this experiment differs from the run's in " + diff
                        + " (seed, data, SDE, model and training must match; sampling may change); "
                        + "pass --resume-changed to resume it anyway");
            }
        }
    }

    /** "train.lr: 0.002 in the run, 0.001 now", or null when equal. */
    private static String firstDifference(String path, JsonNode a, JsonNode b, JsonNode defaults) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String d = firstDifference(path + "." + k, a.path(k), b.path(k), defaults);
                if (d != null) return d;
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (a.has(k)) continue;
                JsonNode dflt = defaults.path(path + "." + k);
                if (!dflt.isMissingNode() && same(dflt, b.path(k))) continue; // new since the run, at its default
                return firstDifference(path + "." + k, a.path(k), b.path(k), defaults);
            }
            return null;
        }
        if (same(a, b)) return null;
        return path.replace(".name", "") + ": " + show(a) + " in the run, " + show(b) + " now";
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.doubleValue() == b.doubleValue() : a.equals(b);
    }

    private static String show(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "nothing" : n.toString().replace('"', '\'');
    }
}
