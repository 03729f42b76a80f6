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
 * training). Sampling and likelihood settings may change. The first difference is named.
 */
final class ResumeCheck {
    private ResumeCheck() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The parts of config.json a checkpoint depends on, in the order they are compared. */
    static final List<String> COMPARED = List.of("seed", "data", "sde", "model", "train");

    static void compare(Path runDir, Map<String, Object> now) {
        Path file = runDir.resolve("config.json");
        JsonNode before;
        try {
            before = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new SdexException("--resume: cannot read " + file + " (" + e.getMessage() + "); is it an sdex run directory?");
        }
        JsonNode current = JSON.valueToTree(now);
        for (String key : COMPARED) {
            String diff = firstDifference(key, before.path(key), current.path(key));
            if (diff != null) {
                throw new SdexException("--resume " + runDir + ": this experiment differs from the run's in " + diff
                        + " (seed, data, SDE, model and training must match; sampling may change); "
                        + "pass --resume-changed to resume it anyway");
            }
        }
    }

    /** "train.lr: 0.002 in the run, 0.001 now", or null when equal. */
    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String d = firstDifference(path + "." + k, a.path(k), b.path(k));
                if (d != null) return d;
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k)) return firstDifference(path + "." + k, a.path(k), b.path(k));
            }
            return null;
        }
        if (a.isNumber() && b.isNumber() ? a.doubleValue() == b.doubleValue() : a.equals(b)) return null;
        return path.replace(".name", "") + ": " + show(a) + " in the run, " + show(b) + " now";
    }

    private static String show(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "nothing" : n.toString().replace('"', '\'');
    }
}
