package org.sdex.core.run;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run: plugin folders, where data files live, where run directories go, an existing run to
 * resume, whether to stop after validation (dry run), show stack traces and progress bars, and
 * points (an .npy file) whose likelihood to evaluate instead of the data set's, whether a resumed
 * run may differ from the experiment it was started with, and observations (an .npy file) that replace
 * the condition block's.
 */
public record RunOptions(List<Path> pluginDirs, Path dataRoot, Path outDir, Path resumeDir,
                         boolean dryRun, boolean debug, boolean progress, Path points, boolean resumeChanged,
                         Path observations) {

    public RunOptions {
        pluginDirs = List.copyOf(pluginDirs);
    }

    /** Defaults for tests and embedding: no plugin folders, ./runs, no progress bars. */
    public static RunOptions defaults(Path dataRoot, Path outDir) {
        return new RunOptions(List.of(), dataRoot, outDir, null, false, false, false, null, false, null);
    }

    public RunOptions withResume(Path dir) {
        return new RunOptions(pluginDirs, dataRoot, outDir, dir, dryRun, debug, progress, points, resumeChanged, observations);
    }
}
