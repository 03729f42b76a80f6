package org.sdex.dsl.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the operating system offers to confine the script's process, probed once: Linux namespaces
 * through util-linux's {@code unshare} (no network: a new network namespace has only a down
 * loopback; a private mount namespace with every mount remounted read-only; a new PID namespace),
 * and {@code prlimit} for CPU time and file size. Where a layer is missing the process still runs,
 * with what is left, and {@link #note()} says what.
 */
final class Confinement {
    /** Remounts every mount read-only in the new mount namespace, then runs the command. */
    private static final String READ_ONLY = "mount --make-rprivate / 2>/dev/null; "
            + "for m in $(awk '{print $2}' /proc/self/mounts | sort -u); do mount -o remount,bind,ro \"$m\" 2>/dev/null; done; "
            + "exec \"$@\"";

    private final List<String> prefix;
    private final String note;

    private Confinement(List<String> prefix, String note) {
        this.prefix = List.copyOf(prefix);
        this.note = note;
    }

    private static Confinement probed;

    /** The confinement of this machine (probed on first use). */
    static synchronized Confinement get() {
        if (probed == null) probed = probe();
        return probed;
    }

    /** The command line that runs {@code command} confined, with at most {@code cpuSeconds} of CPU time. */
    List<String> wrap(List<String> command, int cpuSeconds) {
        List<String> out = new ArrayList<>();
        if (prefix.contains("prlimit")) {
            out.addAll(List.of("prlimit", "--cpu=" + cpuSeconds, "--fsize=0", "--core=0", "--"));
        }
        out.addAll(prefix.stream().filter(s -> !s.equals("prlimit")).toList());
        out.addAll(command);
        return out;
    }

    /** What is enforced, for the log; names what is missing. */
    String note() { return note; }

    boolean namespaces() { return prefix.contains("unshare"); }

    private static Confinement probe() {
        List<String> prefix = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (works(List.of("prlimit", "--cpu=5", "--fsize=0", "--core=0", "--", "true"))) prefix.add("prlimit");
        else missing.add("CPU and file-size limits (prlimit)");
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("sdex-probe-");
            List<String> unshare = new ArrayList<>(List.of("unshare"));
            if (!"root".equals(System.getProperty("user.name"))) unshare.addAll(List.of("--user", "--map-root-user"));
            unshare.addAll(List.of("--mount", "--net", "--pid", "--fork", "--kill-child", "--", "sh", "-c", READ_ONLY, "sh"));
            // confined, the probe must fail to write into a folder it could write to before
            List<String> test = new ArrayList<>(unshare);
            test.addAll(List.of("sh", "-c", "! touch " + scratch.resolve("w") + " 2>/dev/null"));
            if (works(test) && !Files.exists(scratch.resolve("w"))) prefix.addAll(unshare);
            else missing.add("Linux namespaces (unshare: no network, read-only file system)");
        } catch (IOException e) {
            missing.add("Linux namespaces (" + e.getMessage() + ")");
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch.resolve("w"));
                    Files.deleteIfExists(scratch);
                } catch (IOException ignored) {
                    // a leftover empty folder in the temp directory
                }
            }
        }
        String note = missing.isEmpty()
                ? "no network, read-only file system, CPU-time and memory limits"
                : "without " + String.join(" and ", missing) + "; the script's process has memory and time limits only";
        return new Confinement(prefix, note);
    }

    private static boolean works(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
