package org.sdex.cli;

import java.util.List;
import org.apache.commons.cli.Options;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.spi.Param;
import org.sdex.spi.Plugin;

/** {@code sdex plugins}: every plugin with its kind, version, source, description and parameters. */
final class PluginsCommand implements Command {
    /** Long defaults (a mixture's means) are cut in the overview; {@code describe} shows them whole. */
    private static final int MAX_DEFAULT = 20;

    @Override public String name() { return "plugins"; }

    @Override public String arguments() { return "[options]"; }

    @Override public String summary() { return "list every plugin with its parameters"; }

    @Override public Options options() { return Command.withCommon(new Options()); }

    @Override
    public int run(Invocation in) {
        in.noArguments();
        List<PluginRegistry.Entry> all = in.get(PluginRegistry.class).all();
        String[] header = {"KIND", "NAME", "VERSION", "SOURCE", "DESCRIPTION"};
        Table plugins = new Table("").add(header);
        Table params = new Table("    ").add(ParamText.HEADER);
        for (PluginRegistry.Entry e : all) {
            plugins.add(pluginRow(e));
            for (Param p : e.plugin().parameters()) params.add(ParamText.row(p, MAX_DEFAULT));
        }
        in.out.println(plugins.format(header));
        in.out.println(params.format(ParamText.HEADER));
        for (PluginRegistry.Entry e : all) {
            in.out.println();
            in.out.println(plugins.format(pluginRow(e)));
            for (Param p : e.plugin().parameters()) in.out.println(params.format(ParamText.row(p, MAX_DEFAULT)));
        }
        in.out.println();
        in.out.println("Block settings: sdex describe train, sdex describe sample.");
        return ExitCode.OK;
    }

    private static String[] pluginRow(PluginRegistry.Entry e) {
        Plugin p = e.plugin();
        return new String[] {p.kind().label(), p.name(), p.version(), e.source(), p.description()};
    }
}
