package org.sdex.core.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.sdex.core.error.SdexException;

/**
 * Runs the unfinished points of a sweep on this machine, {@code parallel} task processes at a time,
 * each with {@code threads} threads for its native math (OpenMP, and the JVM's processor count),
 * so that together they use the cores without oversubscribing them. Each task's output goes to
 * {@code logs/<point>.log}.
 */
public final class LocalExecutor {
    private final SweepDirectory sweep;
    private final List<String> command;
    private final int parallel;
    private final int threads;
    private final PrintStream out;

    public LocalExecutor(SweepDirectory sweep, List<String> command, int parallel, int threads, PrintStream out) {
        this.sweep = sweep;
        this.command = List.copyOf(command);
        this.parallel = parallel;
        this.threads = threads;
        this.out = out;
    }

    /** Default split of {@code cores}: one single-threaded task per core. */
    public static int defaultParallel(int cores) { return Math.max(1, cores); }

    /** Threads per task when {@code parallel} tasks share {@code cores}. */
    public static int threadsFor(int cores, int parallel) { return Math.max(1, cores / parallel); }

    /** Runs every unfinished point; returns how many failed. */
    public int run() throws InterruptedException {
        Deque<SweepPoint> queue = new ArrayDeque<>(sweep.unfinished());
        int total = queue.size();
        out.printf(Locale.ROOT, "running %d of %d points, %d at a time with %d thread%s each%n", total, sweep.points().size(),
                parallel, threads, threads == 1 ? "" : "s");
        List<Running> running = new ArrayList<>();
        int failed = 0;
        int finished = 0;
        try {
            while (!queue.isEmpty() || !running.isEmpty()) {
                while (running.size() < parallel && !queue.isEmpty()) running.add(start(queue.poll()));
                Thread.sleep(100);
                for (var it = running.iterator(); it.hasNext(); ) {
                    Running r = it.next();
                    if (r.process.isAlive()) continue;
                    it.remove();
                    finished++;
                    int code = r.process.exitValue();
                    double seconds = (System.nanoTime() - r.start) / 1e9;
                    SweepStatus.Row row = SweepStatus.row(sweep, r.point);
                    if (code != 0) failed++;
                    out.printf(Locale.ROOT, "[%d/%d] %s %s (%.1f s)%s%n", finished, total, r.point.folder(), row.state(), seconds,
                            code != 0 && row.error() != null ? ": " + row.error() : "");
                }
            }
        } finally {
            for (Running r : running) r.process.destroy();
        }
        return failed;
    }

    private record Running(SweepPoint point, Process process, long start) {}

    private Running start(SweepPoint p) {
        List<String> cmd = new ArrayList<>(command);
        // the processor count the JVM (and so sdex) sees, next to OpenMP's thread count
        if (!cmd.isEmpty() && cmd.get(0).endsWith("java")) cmd.add(1, "-XX:ActiveProcessorCount=" + threads);
        cmd.addAll(List.of("--index", String.valueOf(p.index()), "--no-progress"));
        Path log = sweep.logs().resolve(p.folder() + ".log");
        try {
            Files.createDirectories(sweep.logs());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(TaskCommand.threadEnv(String.valueOf(threads)));
            return new Running(p, pb.start(), System.nanoTime());
        } catch (IOException e) {
            throw new SdexException("cannot start the task of point " + p.index() + " (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
        }
    }
}
