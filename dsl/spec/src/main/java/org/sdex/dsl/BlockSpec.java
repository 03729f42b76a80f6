package org.sdex.dsl;

import java.util.List;
import java.util.Map;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.spi.Param;

/** A block such as {@code train { }}: settings declared by a {@link Param} list, recorded into a {@link Section}. */
public abstract class BlockSpec extends SpecSupport {
    private final String name;
    private final Section section;

    BlockSpec(ScriptContext context, String name, Section section) {
        super(context);
        this.name = name;
        this.section = section;
    }

    @Override String blockName() { return name; }

    @Override List<Param> settings() { return Keywords.blockSettings(name); }

    @Override List<String> pluginKeywords() { return Keywords.blockPlugins(name); }

    @Override
    void store(String setting, Object value, SourceLocation where) { section.set(setting, value, where); }

    @Override
    void choose(String keyword, String plugin, Map<String, Object> params, SourceLocation where) {
        section.plugins.put(keyword, new PluginRef(plugin, params, where));
    }
}
