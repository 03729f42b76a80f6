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
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.run.RunOptions;
import org.sdex.dsl.ExperimentLoader;
import org.sdex.dsl.Overrides;

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

    /** The experiment script with the --set overrides applied (not yet validated). */
    ExperimentConfig experiment() {
        ExperimentConfig config = ExperimentLoader.load(Path.of(argument("FILE (an experiment script)")));
        String[] sets = line.getOptionValues("set");
        return Overrides.apply(config, sets == null ? List.of() : List.of(sets));
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
        return new RunOptions(pluginDirs, DataRoot.resolve(line.getOptionValue("data"), env, workingDir),
                Path.of(line.getOptionValue("out", "runs")), resume,
                line.hasOption("dry-run"), debug(), !line.hasOption("no-progress"),
                line.hasOption("points") ? Path.of(line.getOptionValue("points")) : null);
    }

    /** The Guice-wired kernel; plugin loading problems are reported as warnings once. */
    <T> T get(Class<T> type) {
        if (kernel == null) {
            kernel = Guice.createInjector(new KernelModule(runOptions()));
            for (String problem : kernel.getInstance(PluginRegistry.class).problems()) err.println("warning: " + problem);
        }
        return kernel.getInstance(type);
    }
}
