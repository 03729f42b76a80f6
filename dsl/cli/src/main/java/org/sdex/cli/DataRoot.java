package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where data files (MNIST, ...) are looked for: {@code --data DIR}, else {@code $SDEX_DATA}, else
 * {@code ./data} once it exists (where {@code sdex data get} puts data by default), else
 * {@code ../shared/data} beside the working directory when it exists, else {@code ./data}.
 */
final class DataRoot {
    private DataRoot() {}

    static Path resolve(String option, Map<String, String> env, Path workingDir) {
        if (option != null) return Path.of(option);
        String fromEnv = env.get("SDEX_DATA");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        Path local = workingDir.resolve("data");
        if (Files.isDirectory(local)) return local;
        Path shared = workingDir.resolve("../shared/data").normalize();
        if (Files.isDirectory(shared)) return shared;
        return local;
    }

    /** How {@link #resolve} chose, for {@code sdex data list}. */
    static String origin(String option, Map<String, String> env, Path workingDir) {
        if (option != null) return "from --data";
        String fromEnv = env.get("SDEX_DATA");
        if (fromEnv != null && !fromEnv.isBlank()) return "from $SDEX_DATA";
        Path chosen = resolve(null, env, workingDir);
        String which = chosen.endsWith("shared/data") ? "../shared/data" : Files.isDirectory(chosen) ? "./data" : "./data, not there yet";
        return "the default, " + which + "; --data DIR or $SDEX_DATA choose another";
    }

    /** Where {@code sdex data get} stores: {@code --data}, else {@code $SDEX_DATA}, else {@code ./data}, which later runs then read. */
    static Path download(String option, Map<String, String> env, Path workingDir) {
        if (option != null) return Path.of(option);
        String fromEnv = env.get("SDEX_DATA");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        return workingDir.resolve("data");
    }
}
