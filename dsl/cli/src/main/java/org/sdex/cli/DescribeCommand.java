package org.sdex.cli;

import java.util.List;
import java.util.TreeSet;
import org.apache.commons.cli.Options;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.vocabulary.Block;
import org.sdex.core.vocabulary.PluginChoice;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.Param;
import org.sdex.spi.Plugin;

/** {@code sdex describe NAME}: one plugin in full (every kind with that name), or a block's settings. */
final class DescribeCommand implements Command {
    private static final int MAX_DEFAULT = 30;

    @Override public String name() { return "describe"; }

    @Override public String arguments() { return "NAME [options]"; }

    @Override public String summary() { return "show one plugin, or the settings of a block (experiment, train, sample, condition, likelihood, evaluate), in full"; }

    @Override public Options options() { return Command.withCommon(new Options()); }

    @Override
    public int run(Invocation in) {
        String name = in.argument("NAME (a plugin, or a block: experiment, train, sample, condition, likelihood, evaluate)");
        PluginRegistry registry = in.get(PluginRegistry.class);
        List<PluginRegistry.Entry> found = registry.named(name);
        Block block = describedBlock(name);
        if (found.isEmpty() && block == null) {
            TreeSet<String> names = new TreeSet<>();
            registry.all().forEach(e -> names.add(e.plugin().name()));
            throw new SdexException("No plugin '" + name + "'. Available: " + String.join(", ", names));
        }
        boolean first = true;
        if (block != null) {
            describeBlock(in, block);
            first = false;
        }
        for (PluginRegistry.Entry e : found) {
            if (!first) in.out.println();
            first = false;
            describePlugin(in, e);
        }
        return ExitCode.OK;
    }

    private static void describePlugin(Invocation in, PluginRegistry.Entry e) {
        Plugin p = e.plugin();
        in.out.println(p.kind().label() + " '" + p.name() + "'  (version " + p.version() + ", " + e.source() + ")");
        in.out.println("  " + p.description());
        in.out.println("  Use: " + p.kind().label() + " '" + p.name() + "'" + example(p.parameters()));
        params(in, p.parameters(), "parameters");
    }

    /** The experiment or one of the blocks it runs; the sweep block has its own syntax (docs/sweeps.md). */
    private static Block describedBlock(String name) {
        if (name.equals(Vocabulary.EXPERIMENT.name())) return Vocabulary.EXPERIMENT;
        return Vocabulary.runBlocks().stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    private static void describeBlock(Invocation in, Block block) {
        in.out.println("block " + block.name() + " { ... }");
        in.out.println("  " + block.doc());
        if (!block.plugins().isEmpty()) {
            in.out.println("  Plugins chosen here (sdex plugins lists them):");
            for (PluginChoice c : block.plugins()) {
                String byDefault = c.defaultPlugin() == null ? "" : " (default " + c.defaultPlugin() + ")";
                in.out.println("    " + c.keyword() + byDefault + ": " + c.doc());
            }
        }
        if (!block.blocks().isEmpty()) {
            in.out.println("  Blocks: " + String.join(", ", block.blocks().stream().map(Block::name).toList()));
        }
        params(in, block.settings(), "settings");
        for (PluginChoice c : block.plugins()) {
            if (!c.settings().isEmpty()) params(in, c.settings(), "settings written among the " + c.keyword() + "'s parameters");
        }
    }

    private static void params(Invocation in, List<Param> params, String what) {
        if (params.isEmpty()) {
            in.out.println("  No " + what + ".");
            return;
        }
        in.out.println();
        Table t = new Table("  ").add(ParamText.HEADER);
        for (Param p : params) t.add(ParamText.row(p, MAX_DEFAULT));
        in.out.print(t.render());
        // defaults too long for the table (a mixture's means) follow in full
        for (Param p : params) {
            String d = ParamText.defaultValue(p);
            if (d.length() > MAX_DEFAULT) in.out.println("  default " + p.name() + ": " + d);
        }
    }

    /**
     * {@code , betaMin: 0.1, betaMax: 20.0}: the parameters with their defaults, as they would be
     * written in a script (required ones as {@code ...}; long or empty defaults left out).
     */
    private static String example(List<Param> params) {
        StringBuilder sb = new StringBuilder();
        for (Param p : params) {
            String d = p.required() ? "..." : ParamText.defaultValue(p);
            if (d.length() > MAX_DEFAULT || p.defaultValue() instanceof List<?> l && l.isEmpty()) continue;
            sb.append(", ").append(p.name()).append(": ").append(p.defaultValue() instanceof String ? "'" + d + "'" : d);
        }
        return sb.toString();
    }
}
