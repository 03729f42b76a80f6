package org.sdex.cli;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** One sdex subcommand: its name, usage line, options and what it does. */
interface Command {
    String name();

    /** Arguments after the command name, e.g. "FILE [options]". */
    String arguments();

    /** One line for the command list of {@code sdex --help}. */
    String summary();

    Options options();

    int run(Invocation in) throws Exception;

    /** Whether {@code --threads} may be a comma-separated list (each count then runs in a JVM of its own). */
    default boolean threadList() { return false; }

    // ---- options shared by several commands ----

    static Option help() { return Option.builder("h").longOpt("help").desc("show this help").build(); }

    static Option debug() { return Option.builder().longOpt("debug").desc("print stack traces and debug logging").build(); }

    static Option plugins() {
        return Option.builder().longOpt("plugins").hasArg().argName("DIR")
                .desc("also load plugin jars from DIR (repeatable; plugins.d beside the sdex launcher and ~/.sdex/plugins are always searched, the working directory's plugins.d only when named here)").build();
    }

    static Option data() {
        return Option.builder().longOpt("data").hasArg().argName("DIR")
                .desc("data root (default: $SDEX_DATA, else ./data if it exists, else ../shared/data if it exists, else ./data)").build();
    }

    static Option set() {
        return Option.builder().longOpt("set").hasArg().argName("KEY=VALUE")
                .desc("override a setting, e.g. train.steps=100, sde=ve, sde.betaMax=10, model.hidden=[64,64] (repeatable)").build();
    }

    static Option trusted() {
        return Option.builder().longOpt("trusted")
                .desc("evaluate the script as full Groovy in this process (only for your own scripts; default: restricted DSL in a confined process)").build();
    }

    /** Read by the sdex launcher (ND4J takes its thread count when it loads); accepted here so the command line parses. */
    static Option threads() {
        return Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("compute threads (default: $SDEX_THREADS, else the cores split between the sdex processes running)").build();
    }

    /** Adds the options every command has, after the command's own. */
    static Options withCommon(Options own) {
        if (!own.hasOption("threads")) own.addOption(threads()); // sdex sweep: threads per point, its own description
        return own.addOption(plugins()).addOption(debug()).addOption(help());
    }
}
