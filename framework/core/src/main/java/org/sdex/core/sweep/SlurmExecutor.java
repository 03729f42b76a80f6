package org.sdex.core.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.RunDirectory;
import org.sdex.core.train.TrainingStopped;

/**
 * Submits a sweep as one Slurm job array: {@code slurm/sweep.sbatch} runs {@code sdex sweep task}
 * for {@code $SLURM_ARRAY_TASK_ID}; {@code --array} lists the unfinished points, at most
 * {@code parallel} at a time. Slurm's warning signal ({@code --signal=B:USR1@120}) and SIGTERM reach
 * the batch shell, which passes them to sdex; sdex writes a checkpoint and exits with
 * {@link TrainingStopped#EXIT_CODE}, and the script requeues its own task, which then resumes.
 */
public final class SlurmExecutor {
    /** sbatch settings; null or 0 leaves Slurm's default. */
    public record Settings(String partition, String time, int cpus, String mem, int gpus, int parallel, String account) {
        /** The script's {@code sweep { slurm { } }} values, each replaced by an option given on the command line. */
        public static Settings of(Map<String, Object> script, Map<String, String> options) {
            return new Settings(ExecutorOptions.text("partition", script, options), ExecutorOptions.text("time", script, options),
                    ExecutorOptions.count("cpus", script, options, 1), ExecutorOptions.text("mem", script, options),
                    ExecutorOptions.count("gpus", script, options, 0), ExecutorOptions.count("parallel", script, options, 0),
                    ExecutorOptions.text("account", script, options));
        }
    }

    private final SweepDirectory sweep;
    private final List<String> command;
    private final Settings settings;
    private final Map<String, String> env;

    public SlurmExecutor(SweepDirectory sweep, List<String> command, Settings settings, Map<String, String> env) {
        this.sweep = sweep;
        this.command = List.copyOf(command);
        this.settings = settings;
        this.env = env;
    }

    /** Where {@code sbatch} is on {@code PATH}; a one-line error when it is not. */
    public static Path sbatch(Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "sbatch");
            if (Files.isExecutable(p)) return p;
        }
        throw new SdexException("--executor slurm: sbatch is not on the PATH (" + env.getOrDefault("PATH", "") + "); "
                + "run sdex sweep on a Slurm login node, or use --executor local");
    }

    /** {@code 0-7%2} or {@code 1,3,6%2}: the unfinished points. */
    static String arraySpec(List<SweepPoint> points, int parallel) {
        List<Integer> idx = points.stream().map(SweepPoint::index).toList();
        boolean contiguous = idx.get(idx.size() - 1) - idx.get(0) == idx.size() - 1;
        String spec = contiguous ? idx.get(0) + (idx.size() > 1 ? "-" + idx.get(idx.size() - 1) : "")
                : idx.stream().map(String::valueOf).collect(Collectors.joining(","));
        return parallel > 0 ? spec + "%" + parallel : spec;
    }

    /** The batch script (without the array, which is given at submission). */
    public String script() {
        Path dir = sweep.path().toAbsolutePath().normalize();
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# One task of an sdex sweep: point $SLURM_ARRAY_TASK_ID of ").append(dir).append("/sweep.json.\n");
        s.append("# Written by sdex sweep; resubmit with sdex sweep (it submits only the unfinished points).\n");
        s.append("#SBATCH --job-name=sdex-").append(sweep.manifest().experiment()).append('\n');
        s.append("#SBATCH --output=").append(dir.resolve("logs")).append("/slurm-%A_%a.out\n");
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --cpus-per-task=").append(Math.max(1, settings.cpus())).append('\n');
        s.append("#SBATCH --signal=B:USR1@120\n");
        s.append("#SBATCH --requeue\n");
        if (settings.partition() != null) s.append("#SBATCH --partition=").append(settings.partition()).append('\n');
        if (settings.time() != null) s.append("#SBATCH --time=").append(settings.time()).append('\n');
        if (settings.mem() != null) s.append("#SBATCH --mem=").append(settings.mem()).append('\n');
        if (settings.gpus() > 0) s.append("#SBATCH --gres=gpu:").append(settings.gpus()).append('\n');
        if (settings.account() != null) s.append("#SBATCH --account=").append(settings.account()).append('\n');
        s.append("\n# the task's share of the node: its CPUs for the native math\n");
        for (String var : TaskCommand.threadEnv("").keySet().stream().sorted().toList()) {
            s.append("export ").append(var).append("=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
        }
        s.append("\ncmd=(");
        for (String c : command) s.append(quote(c)).append(' ');
        s.append("--index \"$SLURM_ARRAY_TASK_ID\" --no-progress)\n");
        s.append("""
                "${cmd[@]}" &
                child=$!
                # Slurm signals this shell (B:); sdex checkpoints at its next logged step and exits @STOPPED@
                trap 'kill -USR1 "$child" 2>/dev/null' USR1
                trap 'kill -TERM "$child" 2>/dev/null' TERM
                while :; do
                  wait "$child"; status=$?
                  # a trapped signal ends wait early: wait again until sdex itself has exited
                  kill -0 "$child" 2>/dev/null || break
                done
                if [ "$status" -eq @STOPPED@ ]; then
                  echo "sdex: point $SLURM_ARRAY_TASK_ID stopped with a checkpoint; requeueing it"
                  scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                fi
                exit "$status"
                """.replace("@STOPPED@", String.valueOf(TrainingStopped.EXIT_CODE)));
        return s.toString();
    }

    private static String quote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    /** Writes the script and submits the unfinished points; returns the job id, or null when all are done. */
    public String submit() {
        List<SweepPoint> todo = sweep.unfinished();
        if (todo.isEmpty()) return null;
        Path file = sweep.path().resolve("slurm").resolve("sweep.sbatch");
        String text = script();
        RunDirectory.writeAtomically(file, tmp -> Files.writeString(tmp, text));
        try {
            Files.createDirectories(sweep.logs());
        } catch (IOException e) {
            throw new SdexException("cannot create " + sweep.logs() + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(sbatch(env).toString(), "--parsable",
                "--array=" + arraySpec(todo, settings.parallel()), file.toAbsolutePath().toString()));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new SdexException("sbatch refused the sweep: " + (output.isEmpty() ? "exit code " + p.exitValue() : output.lines().reduce((a, b) -> b).orElse(output)));
            }
            String id = output.lines().reduce((a, b) -> b).orElse("").split(";")[0].strip();
            Files.writeString(sweep.path().resolve("slurm").resolve("jobs"), id + " " + arraySpec(todo, settings.parallel()) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return id;
        } catch (IOException e) {
            throw new SdexException("cannot run sbatch: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdexException("interrupted while submitting the sweep");
        }
    }
}
