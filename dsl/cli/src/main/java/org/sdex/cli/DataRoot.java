package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where data files (MNIST, ...) are looked for: {@code --data DIR}, else {@code $SDEX_DATA}, else
 * {@code ../shared/data} beside the working directory when it exists, else {@code ./data}.
 */
final class DataRoot {
    private DataRoot() {}

    static Path resolve(String option, Map<String, String> env, Path workingDir) {
        if (option != null) return Path.of(option);
        String fromEnv = env.get("SDEX_DATA");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        Path shared = workingDir.resolve("../shared/data").normalize();
        if (Files.isDirectory(shared)) return shared;
        return workingDir.resolve("data");
    }
}
