package org.sdex.core.sweep;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a task process starts sdex: by default this JVM again (its java, its memory and native
 * settings, its class path) running {@code sweep task DIR}; or a given launcher such as the
 * {@code sdex} script, where the nodes install sdex elsewhere.
 */
public final class TaskCommand {
    private TaskCommand() {}

    /** {@code LAUNCHER... sweep task DIR} with the launcher given, or this JVM's command when null. */
    public static List<String> of(String launcher, Path sweepDir, String mainClass) {
        List<String> cmd = new ArrayList<>();
        if (launcher != null) {
            cmd.addAll(List.of(launcher.strip().split("\\s+")));
        } else {
            cmd.addAll(thisJvm(mainClass));
        }
        cmd.addAll(List.of("sweep", "task", sweepDir.toAbsolutePath().normalize().toString()));
        return cmd;
    }

    /**
     * This JVM again: its java, its memory and native settings, its class path, running {@code mainClass}
     * (debuggers, agents and processor counts stay with this process: thread counts are the caller's).
     */
    public static List<String> thisJvm(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-XX:ActiveProcessorCount")) cmd.add(a);
        }
        cmd.add("-cp");
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) cp.add(Path.of(e).toAbsolutePath().toString());
        }
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add(mainClass);
        return cmd;
    }

    /** The environment that gives a task {@code threads} threads for its native math. */
    public static java.util.Map<String, String> threadEnv(String threads) {
        return java.util.Map.of("OMP_NUM_THREADS", threads, "MKL_NUM_THREADS", threads, "OPENBLAS_NUM_THREADS", threads);
    }
}
