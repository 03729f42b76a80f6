package org.sdex.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.run.ExperimentRunner;
import org.sdex.core.run.ExperimentValidator;
import org.sdex.core.sweep.KubernetesJob;
import org.sdex.core.sweep.LocalExecutor;
import org.sdex.core.sweep.SlurmExecutor;
import org.sdex.core.sweep.SweepDirectory;
import org.sdex.core.sweep.SweepExpansion;
import org.sdex.core.sweep.SweepManifest;
import org.sdex.core.sweep.SweepPoint;
import org.sdex.core.sweep.SweepReport;
import org.sdex.core.sweep.SweepStatus;
import org.sdex.core.sweep.TaskCommand;
import org.sdex.core.sweep.TaskState;
import org.sdex.core.train.TrainingStopped;
import org.sdex.dsl.Overrides;

/**
 * {@code sdex sweep FILE}: expands the script's {@code sweep { }} block (and {@code --grid} axes)
 * into points, validates every point, and runs them here ({@code local}), as a Slurm job array or
 * as a Kubernetes Indexed Job. {@code sweep status DIR}, {@code sweep report DIR} and
 * {@code sweep task DIR} (what each array task or pod runs) work on the sweep directory.
 */
final class SweepCommand implements Command {
    private static final List<String> EXECUTORS = List.of("local", "slurm", "k8s");

    @Override public String name() { return "sweep"; }

    @Override public String arguments() { return "FILE | status DIR | report DIR | task DIR [options]"; }

    @Override public String summary() { return "run an experiment over a grid / random search of settings: here, on Slurm or on Kubernetes"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Command.set())
                .addOption(Command.trusted())
                .addOption(Option.builder().longOpt("grid").hasArg().argName("KEY=V1,V2")
                        .desc("sweep a setting over these values too (repeatable; multiplies with the script's sweep)").build())
                .addOption(Option.builder().longOpt("list").desc("print the points (validated) and stop").build())
                .addOption(Option.builder().longOpt("executor").hasArg().argName("local|slurm|k8s").desc("where the points run (default: local)").build())
                .addOption(Option.builder().longOpt("dir").hasArg().argName("DIR").desc("the sweep directory (default: sweeps/<experiment>)").build())
                .addOption(Option.builder().longOpt("parallel").hasArg().argName("K")
                        .desc("points running at once (local: default one per core; slurm: the array's %K)").build())
                .addOption(Option.builder().longOpt("threads").hasArg().argName("T").desc("local: threads per point (default: cores / parallel)").build())
                .addOption(Option.builder().longOpt("partition").hasArg().desc("slurm: partition").build())
                .addOption(Option.builder().longOpt("time").hasArg().desc("slurm: time limit per point, e.g. 02:00:00").build())
                .addOption(Option.builder().longOpt("cpus").hasArg().desc("slurm: CPUs per point (default 1)").build())
                .addOption(Option.builder().longOpt("mem").hasArg().desc("slurm: memory per point, e.g. 4G").build())
                .addOption(Option.builder().longOpt("gpus").hasArg().desc("slurm: GPUs per point; k8s: nvidia.com/gpu limit").build())
                .addOption(Option.builder().longOpt("account").hasArg().desc("slurm: account").build())
                .addOption(Option.builder().longOpt("launcher").hasArg().argName("CMD")
                        .desc("command that starts sdex on the nodes, e.g. /shared/sdex/sdex (default: this java and class path)").build())
                .addOption(Option.builder().longOpt("image").hasArg().desc("k8s: container image with sdex on its PATH").build())
                .addOption(Option.builder().longOpt("claim").hasArg().desc("k8s: PersistentVolumeClaim holding the sweep directory").build())
                .addOption(Option.builder().longOpt("cpu").hasArg().desc("k8s: CPU request and limit per pod").build())
                .addOption(Option.builder().longOpt("memory").hasArg().desc("k8s: memory request and limit per pod, e.g. 4Gi").build())
                .addOption(Option.builder().longOpt("namespace").hasArg().desc("k8s: namespace").build())
                .addOption(Option.builder().longOpt("apply").desc("k8s: run kubectl apply -f on the manifest").build())
                .addOption(Option.builder().longOpt("index").hasArg().argName("N")
                        .desc("task: the point (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX)").build())
                .addOption(Option.builder().longOpt("sort").hasArg().argName("METRIC")
                        .desc("report: sort by " + String.join(", ", SweepReport.METRICS) + " (default: the first present)").build())
                .addOption(Option.builder().longOpt("metric").hasArg().argName("METRIC").desc("report: the metric to plot (default: the sort metric)").build())
                .addOption(Option.builder().longOpt("x").hasArg().argName("KEY").desc("report: the swept setting on the plot's x axis").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR").desc("report: where report.md/.csv/.png go (default: the sweep directory)").build())
                .addOption(Command.data())
                .addOption(Option.builder().longOpt("no-progress").desc("no progress bars").build()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        List<String> args = in.line.getArgList();
        if (args.isEmpty()) throw new UsageException("missing FILE (an experiment script with a sweep block), or status DIR, report DIR, task DIR");
        String first = args.get(0);
        if (List.of("status", "report", "task").contains(first) && !Files.isRegularFile(Path.of(first))) {
            if (args.size() != 2) throw new UsageException("sdex sweep " + first + " takes one sweep directory");
            SweepDirectory sweep = SweepDirectory.open(Path.of(args.get(1)));
            return switch (first) {
                case "status" -> status(in, sweep);
                case "report" -> report(in, sweep);
                default -> task(in, sweep);
            };
        }
        return submit(in);
    }

    // ---- sdex sweep FILE ----

    private int submit(Invocation in) throws Exception {
        Path script = Path.of(in.argument("FILE (an experiment script)"));
        String executor = in.option("executor", "local");
        if (!EXECUTORS.contains(executor)) throw new UsageException("--executor must be one of " + String.join(", ", EXECUTORS) + ", got '" + executor + "'");
        ExperimentConfig base = in.load(script);
        List<String> sets = values(in, "set");
        List<SweepPoint> points = SweepExpansion.expand(base.sweep, values(in, "grid"));
        SweepManifest manifest = new SweepManifest(base.name, script.getFileName().toString(),
                SweepDirectory.sha256(Files.readString(script)), sets, points);
        validate(in, base, manifest);
        if (in.flag("list")) {
            Table t = new Table("");
            for (SweepPoint p : points) t.add(p.folder(), String.join(" ", p.assignments()));
            in.out.print(t.render());
            in.out.println(points.size() + " points, all valid");
            return ExitCode.OK;
        }
        // before anything is written: the executor's own requirements
        if (executor.equals("slurm")) SlurmExecutor.sbatch(in.env());
        Map<String, Object> k8sScript = base.sweep != null ? base.sweep.k8s : Map.of();
        KubernetesJob.Settings k8s = executor.equals("k8s") ? KubernetesJob.Settings.of(k8sScript, options(in, "image", "claim", "cpu", "memory", "gpus", "parallel", "namespace")) : null;
        Path dir = Path.of(in.option("dir", Path.of("sweeps", base.name).toString()));
        SweepDirectory sweep = SweepDirectory.prepare(dir, manifest, Files.readString(script));
        int done = points.size() - sweep.unfinished().size();
        if (done > 0) in.out.println(done + " of " + points.size() + " points are done already; only the others run");
        List<String> command = new ArrayList<>(TaskCommand.of(in.option("launcher", null), dir, Main.class.getName()));
        // the tasks find data and plugins where this command was told to look
        if (in.option("data", null) != null) command.addAll(List.of("--data", Path.of(in.option("data", null)).toAbsolutePath().toString()));
        for (String p : values(in, "plugins")) command.addAll(List.of("--plugins", Path.of(p).toAbsolutePath().toString()));
        switch (executor) {
            case "slurm" -> {
                Map<String, Object> slurmScript = base.sweep != null ? base.sweep.slurm : Map.of();
                SlurmExecutor.Settings settings = SlurmExecutor.Settings.of(slurmScript,
                        options(in, "partition", "time", "cpus", "mem", "gpus", "parallel", "account"));
                String job = new SlurmExecutor(sweep, command, settings, in.env()).submit();
                in.out.println(job == null ? "every point is done; nothing submitted"
                        : "submitted job array " + job + " (" + sweep.unfinished().size() + " points); sdex sweep status " + dir);
                return ExitCode.OK;
            }
            case "k8s" -> {
                Path file = KubernetesJob.write(sweep, k8s);
                in.out.println("wrote the Indexed Job " + file + " (" + points.size() + " completions; the claim '" + k8s.claim()
                        + "' must hold " + dir.getFileName() + "/ at its root)");
                if (in.flag("apply")) return kubectlApply(in, file);
                in.out.println("apply it with: kubectl apply -f " + file);
                return ExitCode.OK;
            }
            default -> {
                int cores = Runtime.getRuntime().availableProcessors();
                int parallel = in.intOption("parallel", LocalExecutor.defaultParallel(cores), 1);
                int threads = in.intOption("threads", LocalExecutor.threadsFor(cores, parallel), 1);
                int failed = new LocalExecutor(sweep, command, parallel, threads, in.out).run();
                if (failed > 0) {
                    in.err.println("error: " + failed + " of " + points.size() + " points failed; see sdex sweep status " + dir);
                    return ExitCode.FAILURE;
                }
                in.out.println("all " + points.size() + " points done; sdex sweep report " + dir);
                return ExitCode.OK;
            }
        }
    }

    /** Every point through the same --set path as sdex run, validated before anything is written. */
    private static void validate(Invocation in, ExperimentConfig base, SweepManifest manifest) {
        ExperimentValidator validator = in.get(ExperimentValidator.class);
        String firstError = null;
        int invalid = 0;
        for (SweepPoint p : manifest.points()) {
            try {
                validator.validate(Overrides.apply(base, manifest.assignments(p)));
            } catch (ConfigException e) {
                invalid++;
                if (firstError == null) {
                    String where = e.location().file().startsWith("--set ") ? "" : e.location() + ": ";
                    String reason = e.getMessage().substring(e.location().toString().length() + 2);
                    String at = base.sweep != null ? base.sweep.location + ": " : "";
                    firstError = at + "sweep point " + p.index() + " (" + String.join(" ", p.assignments()) + "): " + where + reason;
                }
            }
        }
        if (firstError != null) {
            throw new SdexException(firstError + (invalid > 1 ? " (and " + (invalid - 1) + " more invalid points; see --list)" : ""));
        }
    }

    private static int kubectlApply(Invocation in, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "apply", "-f", file.toString()).inheritIO().start();
        int code = p.waitFor();
        if (code != 0) throw new SdexException("kubectl apply -f " + file + " failed with exit code " + code);
        return ExitCode.OK;
    }

    // ---- sdex sweep status DIR ----

    private static int status(Invocation in, SweepDirectory sweep) {
        List<SweepStatus.Row> rows = SweepStatus.of(sweep);
        Table t = new Table("");
        t.add("point", "state", "attempts", "settings / error");
        for (SweepStatus.Row r : rows) {
            t.add(r.point().folder(), r.state(), String.valueOf(r.attempts()),
                    r.error() != null ? r.error() : String.join(" ", r.point().assignments()));
        }
        in.out.print(t.render());
        List<String> counts = new ArrayList<>();
        SweepStatus.counts(rows).forEach((k, v) -> { if (v > 0) counts.add(v + " " + k); });
        in.out.println(String.join(", ", counts));
        return ExitCode.OK;
    }

    // ---- sdex sweep report DIR ----

    private static int report(Invocation in, SweepDirectory sweep) {
        SweepReport report = SweepReport.of(sweep, in.option("sort", null));
        Path out = Path.of(in.option("out", sweep.path().toString()));
        List<Path> written = report.write(out, "Sweep " + sweep.manifest().experiment() + " (" + sweep.manifest().script() + ")",
                in.option("metric", null), in.option("x", null));
        in.out.print(report.markdown());
        for (Path p : written) in.out.println("wrote " + p);
        return ExitCode.OK;
    }

    // ---- sdex sweep task DIR: one point, what an array task or pod runs ----

    private static int task(Invocation in, SweepDirectory sweep) throws Exception {
        SweepPoint point = sweep.point(index(in));
        if (sweep.isDone(point)) {
            in.out.println("point " + point.folder() + " is done; nothing to do");
            return ExitCode.OK;
        }
        TaskState state = sweep.started(point);
        try {
            ExperimentConfig config = Overrides.apply(in.load(sweep.script()), sweep.manifest().assignments(point));
            ExperimentPlan plan = in.get(ExperimentValidator.class).validate(config);
            ExperimentRunner runner = in.get(ExperimentRunner.class);
            ForeignStdout.divertDuring(() -> runner.runIn(plan, sweep.pointDir(point)));
            sweep.write(point, state.ended(TaskState.DONE, java.time.Instant.now().toString(), null));
            in.out.println("point " + point.folder() + " done");
            return ExitCode.OK;
        } catch (TrainingStopped e) {
            sweep.write(point, state.ended(TaskState.PREEMPTED, java.time.Instant.now().toString(), e.getMessage()));
            throw e;
        } catch (Throwable t) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
            sweep.write(point, state.ended(TaskState.FAILED, java.time.Instant.now().toString(), message));
            throw t;
        }
    }

    private static int index(Invocation in) {
        String v = in.option("index", null);
        String source = "--index";
        if (v == null && in.env().get("SLURM_ARRAY_TASK_ID") != null) {
            v = in.env().get("SLURM_ARRAY_TASK_ID");
            source = "$SLURM_ARRAY_TASK_ID";
        }
        if (v == null && in.env().get("JOB_COMPLETION_INDEX") != null) {
            v = in.env().get("JOB_COMPLETION_INDEX");
            source = "$JOB_COMPLETION_INDEX";
        }
        if (v == null) throw new UsageException("sweep task needs the point: --index N, $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX");
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(source + " must be an integer, got '" + v + "'");
        }
    }

    private static List<String> values(Invocation in, String option) {
        String[] v = in.line.getOptionValues(option);
        return v == null ? List.of() : List.of(v);
    }

    private static Map<String, String> options(Invocation in, String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            String v = in.option(n, null);
            // --parallel is the array's %K for Slurm and the Job's parallelism for k8s
            if (v != null) m.put(n.equals("parallel") && List.of(names).contains("image") ? "parallelism" : n, v);
        }
        return m;
    }
}
