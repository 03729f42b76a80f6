package org.sdex.core.vocabulary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;

/**
 * One block of the experiment DSL ({@code train { }}, or the experiment itself): its keyword, one
 * line on what it does, its settings (typed, with default, range and description), the plugins
 * chosen in it and the blocks nested in it. The script's spec classes, {@code --set}, the validator,
 * {@code sdex describe} and the reference tables of docs/dsl.md all read a block from here, so its
 * messages are worded the same wherever a value is written.
 */
public record Block(String name, String doc, List<Param> settings, List<PluginChoice> plugins, List<Block> blocks) {

    public Block {
        settings = List.copyOf(settings);
        plugins = List.copyOf(plugins);
        blocks = List.copyOf(blocks);
    }

    public static Block of(String name, String doc, List<Param> settings, PluginChoice... plugins) {
        return new Block(name, doc, settings, List.of(plugins), List.of());
    }

    /** The same block with blocks nested in it. */
    public Block nesting(Block... nested) { return new Block(name, doc, settings, plugins, List.of(nested)); }

    /** The setting of this name, or null. */
    public Param setting(String setting) {
        for (Param p : settings) if (p.name().equals(setting)) return p;
        return null;
    }

    /** The plugin choice of this keyword, or null. */
    public PluginChoice plugin(String keyword) {
        for (PluginChoice c : plugins) if (c.keyword().equals(keyword)) return c;
        return null;
    }

    /** The nested block of this name, or null. */
    public Block block(String block) {
        for (Block b : blocks) if (b.name().equals(block)) return b;
        return null;
    }

    /** Every keyword of the block: settings, then plugin choices, then nested blocks. */
    public List<String> keywords() {
        List<String> all = new ArrayList<>();
        settings.forEach(p -> all.add(p.name()));
        plugins.forEach(c -> all.add(c.keyword()));
        blocks.forEach(b -> all.add(b.name()));
        return all;
    }

    /** How a setting is named in messages: {@code train setting 'steps'}; the experiment's own by name ({@code seed}). */
    public String phrase(String setting) {
        return name.equals(Vocabulary.EXPERIMENT_NAME) ? setting : name + " setting '" + setting + "'";
    }

    public ConfigException unknown(String keyword, SourceLocation where) {
        return new ConfigException(where, "unknown setting '" + keyword + "' in " + name + ". Accepted: " + String.join(", ", keywords()));
    }

    /**
     * Only the type of a value (a number where a number belongs), as the script is read; the range
     * is checked with the whole experiment, so a script value that {@code --set} replaces is not refused.
     */
    public void checkType(String setting, Object value, SourceLocation where) {
        Param p = setting(setting);
        if (p == null) throw unknown(setting, where);
        Param typeOnly = new Param(p.name(), p.type(), p.defaultValue(), p.description(), null, false, null, p.choices(), p.rank());
        check(List.of(typeOnly), Collections.singletonMap(setting, value), key -> where);
    }

    /** Type and range of one value of a setting. */
    public void checkValue(String setting, Object value, SourceLocation where) {
        Param p = setting(setting);
        if (p == null) throw unknown(setting, where);
        check(List.of(p), Collections.singletonMap(setting, value), key -> where);
    }

    /**
     * The block's settings as written, checked (names, types, ranges) with the defaults filled in; a
     * block's {@code seed} defaults to the experiment's.
     */
    public Params read(Section section, long experimentSeed) {
        for (String key : section.values.keySet()) {
            if (setting(key) == null) throw unknown(key, section.where(key));
        }
        for (Map.Entry<String, PluginRef> e : section.plugins.entrySet()) {
            if (plugin(e.getKey()) == null) throw unknown(e.getKey(), e.getValue().location);
        }
        Map<String, Object> values = new LinkedHashMap<>(section.values);
        if (!values.containsKey("seed") && setting("seed") != null) values.put("seed", experimentSeed);
        return check(settings, values, section::where);
    }

    /** The plugin the section chooses by this keyword, else the block's default (null when there is none). */
    public PluginRef chosen(Section section, String keyword) {
        PluginRef ref = section.plugins.get(keyword);
        if (ref != null) return ref;
        String byDefault = plugin(keyword).defaultPlugin();
        return byDefault == null ? null : new PluginRef(byDefault, Map.of(), section.location);
    }

    /** Checks values against declared settings; messages name the setting as {@link #phrase} does. */
    Params check(List<Param> declared, Map<String, ?> values, java.util.function.Function<String, SourceLocation> where) {
        try {
            return Params.of(name, declared, values);
        } catch (ParamException e) {
            String prefix = name + " parameter '" + e.param() + "'";
            String msg = e.getMessage().startsWith(prefix) ? phrase(e.param()) + e.getMessage().substring(prefix.length()) : e.getMessage();
            throw new ConfigException(where.apply(e.param()), msg);
        }
    }
}
