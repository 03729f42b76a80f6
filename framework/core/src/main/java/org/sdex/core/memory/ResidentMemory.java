package org.sdex.core.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set size, read from /proc (Linux): the figure that shows off-heap growth,
 * which the Java heap figures cannot.
 */
public final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /** VmRSS, the resident set now, in MB; -1 where /proc is not available. */
    public static double megabytes() { return field("VmRSS:"); }

    /** VmHWM, the largest resident set so far, in MB; -1 where /proc is not available. */
    public static double peakMegabytes() { return field("VmHWM:"); }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: report unknown rather than fail a run
        }
        return -1;
    }
}
