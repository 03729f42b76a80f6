package org.sdex.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.error.SdexException;
import org.sdex.core.inject.KernelModule;
import org.sdex.core.plugin.PluginLoader;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.run.RunOptions;
import org.sdex.dsl.ExperimentLoader;
import org.sdex.dsl.Overrides;
import org.sdex.dsl.sandbox.SandboxedEvaluation;
import org.slf4j.LoggerFactory;

/** A parsed command line with its output streams and environment, and the kernel built from it. */
final class Invocation {
    final CommandLine line;
    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> env;
    private final Path workingDir;
    private Injector kernel;

    Invocation(CommandLine line, PrintStream out, PrintStream err, Map<String, String> env, Path workingDir) {
        this.line = line;
        this.out = out;
        this.err = err;
        this.env = env;
        this.workingDir = workingDir;
    }

    boolean debug() { return line.hasOption("debug"); }

    /** The environment the command was started with. */
    Map<String, String> env() { return env; }

    /** The command's single positional argument (FILE or NAME). */
    String argument(String what) {
        List<String> args = line.getArgList();
        if (args.isEmpty()) throw new UsageException("missing " + what);
        if (args.size() > 1) throw new UsageException("unexpected argument '" + args.get(1) + "'");
        return args.get(0);
    }

    void noArguments() {
        if (!line.getArgList().isEmpty()) throw new UsageException("unexpected argument '" + line.getArgList().get(0) + "'");
    }

    /** The data root of this command line (see {@link DataRoot}), how it was chosen, and where downloads go. */
    Path dataRoot() { return DataRoot.resolve(line.getOptionValue("data"), env, workingDir); }

    String dataRootOrigin() { return DataRoot.origin(line.getOptionValue("data"), env, workingDir); }

    Path downloadRoot() { return DataRoot.download(line.getOptionValue("data"), env, workingDir); }

    String env(String name) { return env.get(name); }

    String option(String name, String fallback) { return line.getOptionValue(name, fallback); }

    boolean flag(String name) { return line.hasOption(name); }

    /** An integer option with a lower bound; a bad value is a usage error naming the option. */
    int intOption(String name, int fallback, int min) {
        String v = line.getOptionValue(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be an integer >= " + min + ", got '" + v + "'");
    }

    /**
     * The experiment script with the --set overrides applied (not yet validated). Scripts are
     * evaluated in a confined process in the restricted DSL unless trusted: {@code --trusted}, or the
     * script lies in a folder of {@code SDEX_TRUSTED} (folders separated by ':').
     */
    ExperimentConfig experiment() {
        ExperimentConfig config = load(Path.of(argument("FILE (an experiment script)")));
        String[] sets = line.getOptionValues("set");
        return Overrides.apply(config, sets == null ? List.of() : List.of(sets));
    }

    /** An experiment script as written (no overrides): confined and restricted unless trusted (see {@link #experiment}). */
    ExperimentConfig load(Path script) {
        String trust = trust(script);
        if (trust == null) return SandboxedEvaluation.standard().load(script);
        LoggerFactory.getLogger(Invocation.class).info("{} evaluated as full Groovy in this process ({})", script, trust);
        return ExperimentLoader.loadTrusted(script);
    }

    /** Why the script is trusted, or null. */
    private String trust(Path script) {
        if (line.hasOption("trusted")) return "--trusted";
        String dirs = env.get("SDEX_TRUSTED");
        if (dirs == null || dirs.isBlank()) return null;
        Path real;
        try {
            real = script.toRealPath();
        } catch (java.io.IOException e) {
            return null; // reading it reports the problem
        }
        for (String d : dirs.split(java.io.File.pathSeparator)) {
            if (d.isBlank()) continue;
            try {
                if (real.startsWith(Path.of(d).toRealPath())) return "SDEX_TRUSTED=" + d;
            } catch (java.io.IOException e) {
                // a trusted folder that does not exist trusts nothing
            }
        }
        return null;
    }

    RunOptions runOptions() {
        List<Path> pluginDirs = new ArrayList<>();
        String[] dirs = line.getOptionValues("plugins");
        for (String d : dirs == null ? new String[0] : dirs) {
            Path p = Path.of(d);
            if (!Files.isDirectory(p)) throw new SdexException("--plugins: no such directory: " + d);
            pluginDirs.add(p);
        }
        Path resume = line.hasOption("resume") ? Path.of(line.getOptionValue("resume")) : null;
        return new RunOptions(pluginDirs, dataRoot(),
                Path.of(line.getOptionValue("out", "runs")), resume,
                line.hasOption("dry-run"), debug(), !line.hasOption("no-progress"),
                line.hasOption("points") ? Path.of(line.getOptionValue("points")) : null, line.hasOption("resume-changed"),
                line.hasOption("observations") ? Path.of(line.getOptionValue("observations")) : null);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The Guice-wired kernel; plugin loading problems are reported as warnings once. */
    <T> T get(Class<T> type) {
        if (kernel == null) {
            kernel = Guice.createInjector(new KernelModule(runOptions()));
            for (String problem : kernel.getInstance(PluginRegistry.class).problems()) err.println("warning: " + problem);
            Path here = workingDir.resolve("plugins.d");
            boolean asked = kernel.getInstance(RunOptions.class).pluginDirs().stream().anyMatch(d -> sameFile(d, here));
            if (Files.isDirectory(here) && !asked && PluginLoader.defaultDirs().stream().noneMatch(d -> sameFile(d, here))) {
                err.println("note: " + here + " is not loaded (plugins run code; a folder's own plugins load only when asked): --plugins plugins.d");
            }
        }
        return kernel.getInstance(type);
    }
}
