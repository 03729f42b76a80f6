package org.sdex.cli;

import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.ParseException;
import org.sdex.backend.NativeBackend;
import org.sdex.core.error.ComputeFailure;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.Preemption;
import org.sdex.core.train.TrainingStopped;
import org.sdex.spi.ParamException;
import org.slf4j.LoggerFactory;

/**
 * The {@code sdex} command. Every error is one line, {@code error: <message>}: exit 2 for a
 * problem with the experiment or an input, 3 when training diverged, 4 when a file could not be
 * read or written, 75 when SIGTERM/SIGUSR1 stopped training after a checkpoint, 64 for a command
 * line that does not parse, 1 for anything unexpected (a bug). Stack traces only with {@code --debug}.
 */
public final class Main {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new RunCommand(), new ValidateCommand(), new PluginsCommand(), new DescribeCommand(), new DataCommand(),
                new BenchCommand(), new ConvertCommand(), new EvalCommand(), new ClassifierCommand(), new SweepCommand())) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {}

    public static void main(String[] args) {
        // before anything loads ND4J: the native build is chosen once, at class-loading time
        NativeBackend.select();
        Preemption.install();
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code instead of exiting (for tests and embedding). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err, System.getenv(), Path.of("").toAbsolutePath());
    }

    static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path workingDir) {
        if (args.length == 0) return usage(err, "no command given");
        String first = args[0];
        switch (first) {
            case "--help", "-h", "help" -> {
                if (args.length > 1 && COMMANDS.containsKey(args[1])) commandHelp(out, COMMANDS.get(args[1]));
                else help(out);
                return ExitCode.OK;
            }
            case "--version", "-V" -> {
                out.println("sdex " + Version.get());
                return ExitCode.OK;
            }
            default -> { }
        }
        Command command = COMMANDS.get(first);
        if (command == null) {
            return usage(err, (first.startsWith("-") ? "unknown option '" : "unknown command '") + first
                    + "'; commands: " + String.join(", ", COMMANDS.keySet()));
        }
        CommandLine line;
        try {
            line = new DefaultParser().parse(command.options(), java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (ParseException e) {
            return usage(err, "sdex " + command.name() + ": " + e.getMessage(), command);
        }
        if (line.hasOption("help")) {
            commandHelp(out, command);
            return ExitCode.OK;
        }
        if (line.hasOption("threads")) {
            String n = line.getOptionValue("threads").strip();
            String count = "[1-9][0-9]{0,5}";
            if (!n.matches(command.threadList() ? count + "(," + count + ")*" : count)) {
                return usage(err, "sdex " + command.name() + ": --threads must be an integer >= 1" + (command.threadList() ? " or a list such as 1,2" : "")
                        + ", got '" + n + "'", command);
            }
        }
        boolean debug = line.hasOption("debug");
        if (debug) Logging.debug();
        try {
            return command.run(new Invocation(line, out, err, env, workingDir));
        } catch (UsageException e) {
            return usage(err, "sdex " + command.name() + ": " + e.getMessage(), command);
        } catch (Throwable t) {
            return failure(err, t, debug);
        }
    }

    private static int failure(PrintStream err, Throwable t, boolean debug) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TrainingStopped stopped) {
                err.println("stopped: " + oneLine(stopped.getMessage()));
                return ExitCode.STOPPED;
            }
        }
        Throwable user = userError(t);
        int code = exitCode(t);
        if (code != ExitCode.FAILURE) {
            err.println("error: " + oneLine((user != null ? user : t).getMessage()));
            if (debug) t.printStackTrace(err);
            return code;
        }
        String message = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + oneLine(t.getMessage());
        if (debug) {
            err.println("error: " + message);
            t.printStackTrace(err);
        } else {
            err.println("error: " + message + " (run with --debug for the stack trace)");
        }
        LoggerFactory.getLogger(Main.class).debug("failed", t);
        return ExitCode.FAILURE;
    }

    /** The exit code of a failure: the table in docs/security.md. */
    static int exitCode(Throwable t) {
        Throwable user = userError(t);
        if (user instanceof ComputeFailure) return ExitCode.COMPUTE;
        if (find(t, IOException.class) != null) return ExitCode.IO;
        return user != null ? ExitCode.USER_ERROR : ExitCode.FAILURE;
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return c;
        }
        return null;
    }

    /** A problem the user can fix, possibly wrapped by Guice or a plugin. */
    private static Throwable userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SdexException || c instanceof ParamException) return c;
            if (c instanceof ProvisionException p && !p.getErrorMessages().isEmpty() && p.getCause() == null) {
                Throwable inner = p.getErrorMessages().iterator().next().getCause();
                if (inner != null) return userError(inner);
            }
            if (c instanceof CreationException ce && !ce.getErrorMessages().isEmpty() && ce.getCause() == null) {
                Throwable inner = ce.getErrorMessages().iterator().next().getCause();
                if (inner != null) return userError(inner);
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static int usage(PrintStream err, String message) {
        err.println("error: " + message + " (see sdex --help)");
        return ExitCode.USAGE;
    }

    private static int usage(PrintStream err, String message, Command command) {
        err.println("error: " + message + " (see sdex " + command.name() + " --help)");
        return ExitCode.USAGE;
    }

    private static void help(PrintStream out) {
        out.println("sdex " + Version.get() + " - score-based generative modeling through SDEs");
        out.println();
        out.println("Usage: sdex COMMAND [options]");
        out.println();
        out.println("Commands:");
        Table t = new Table("  ");
        for (Command c : COMMANDS.values()) t.add(c.name() + " " + c.arguments().replace(" [options]", "").replace("[options]", ""), c.summary());
        out.print(t.render());
        out.println();
        out.println("Options:");
        out.print(new Table("  ").add("-h, --help", "show help; sdex COMMAND --help shows a command's options")
                .add("-V, --version", "print the version").render());
        out.println();
        out.println("Example: sdex run experiments/checkerboard_vp.groovy --set train.steps=500");
    }

    private static void commandHelp(PrintStream out, Command command) {
        HelpFormatter f = HelpFormatter.builder().get();
        f.setOptionComparator(null);
        PrintWriter w = new PrintWriter(out);
        f.printHelp(w, 100, "sdex " + command.name() + " " + command.arguments(), command.summary() + "\n\n",
                command.options(), 2, 3, "", false);
        w.flush();
    }
}
