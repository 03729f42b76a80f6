package org.sdex.dsl;

import java.util.Map;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.vocabulary.Block;

/**
 * A block such as {@code train { }}: its settings and plugin choices, as the vocabulary declares
 * them, recorded into a {@link Section}. A block with a spec subclass gets typed methods for IDE
 * completion; one without (a block just added to the vocabulary) works through this class alone.
 */
public class BlockSpec extends SpecSupport {
    private final Block block;
    private final Section section;

    BlockSpec(ScriptContext context, Block block, Section section) {
        super(context);
        this.block = block;
        this.section = section;
    }

    @Override Block block() { return block; }

    @Override
    void store(String setting, Object value, SourceLocation where) { section.set(setting, value, where); }

    @Override
    void choose(String keyword, String plugin, Map<String, Object> params, SourceLocation where) {
        section.plugins.put(keyword, new PluginRef(plugin, params, where));
    }
}
