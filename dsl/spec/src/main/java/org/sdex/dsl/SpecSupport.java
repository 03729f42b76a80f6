package org.sdex.dsl;

import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;

/**
 * What every block of the DSL shares. Subclasses declare typed methods per keyword for IDE
 * completion; anything else a script writes in the block lands in {@link #methodMissing} or
 * {@link #propertyMissing}, which turn it into a one-line error at the script line. Values are only
 * type-checked here (a string where a number belongs); ranges, plugin names and plugin
 * parameters are checked by the core validator, so --set overrides are checked the same way.
 *
 * <p>A block has three sorts of keywords: settings (one typed value, e.g. {@code steps 1000}),
 * plugin choices ({@code sde 'vp', betaMax: 20}) and nested blocks ({@code train { ... }}).
 */
public abstract class SpecSupport extends GroovyObjectSupport {
    final ScriptContext context;
    /** Setting names read without a value, waiting to see whether a {@code -} follows. */
    private final List<BareSetting> bareSettings = new ArrayList<>();

    SpecSupport(ScriptContext context) { this.context = context; }

    /** The block's name in messages: "train", "sample", "experiment". */
    abstract String blockName();

    /** The settings of this block, in the order they are listed to the user. */
    abstract List<Param> settings();

    /** Keywords choosing a plugin in this block. */
    List<String> pluginKeywords() { return List.of(); }

    /** Keywords opening a nested block. */
    List<String> blockKeywords() { return List.of(); }

    /** Records a setting whose value has the right type (or is a string that parses as it). */
    abstract void store(String name, Object value, SourceLocation where);

    /** Records a plugin choice (name and raw parameters). */
    void choose(String keyword, String plugin, Map<String, Object> params, SourceLocation where) {
        throw new IllegalStateException(blockName() + " has no plugin keywords");
    }

    /** How a setting is named in messages; the validator words its messages the same way. */
    String settingPhrase(String name) { return blockName() + " setting '" + name + "'"; }

    // ---- called by the typed keyword methods of subclasses ----

    final void set(String name, Object value) { assign(name, value, context.here()); }

    final void plugin(String keyword, String plugin, Map<?, ?> params) {
        choose(keyword, plugin, params == null ? Map.of() : Values.plainMap(params), context.here());
    }

    /** Runs a block's closure against this spec, then reports settings left without a value. */
    final void evaluate(Closure<?> body) {
        body.setDelegate(this);
        body.setResolveStrategy(Closure.DELEGATE_ONLY);
        body.call();
        for (BareSetting b : bareSettings) {
            if (!b.used) {
                throw new ConfigException(b.where, settingPhrase(b.name) + " has no value; write it like "
                        + b.name + " " + Values.literal(param(b.name).defaultValue()));
            }
        }
    }

    // ---- Groovy's fallbacks: everything not matched by a typed method ----

    /**
     * Groovy calls this for unknown names and also for known ones whose arguments match no typed
     * overload ({@code steps 'many'}), so the known names get a type message, not "unknown".
     */
    public Object methodMissing(String name, Object args) {
        Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
        SourceLocation where = context.here();
        if (param(name) != null) {
            if (a.length == 1) {
                assign(name, a[0], where);
                return null;
            }
            throw new ConfigException(where, settingPhrase(name) + " takes one value, like "
                    + name + " " + Values.literal(param(name).defaultValue()));
        }
        if (pluginKeywords().contains(name)) {
            throw new ConfigException(where, name + " takes a plugin name and optional named parameters, like "
                    + name + " 'name', param: value; got " + describeArgs(a));
        }
        if (blockKeywords().contains(name)) {
            throw new ConfigException(where, name + " takes a block: " + name + " { ... }");
        }
        // helper methods defined in the script stay callable inside blocks
        if (context.scriptHasMethod(name, a)) return context.callScript(name, a);
        throw unknown(name, where);
    }

    /** A name read without arguments: a bare setting, a script variable, or a mistake. */
    public Object propertyMissing(String name) {
        SourceLocation where = context.here();
        if (param(name) != null) {
            BareSetting b = new BareSetting(this, name, where);
            bareSettings.add(b);
            return b;
        }
        if (pluginKeywords().contains(name)) {
            throw new ConfigException(where, name + " needs a plugin name and optional named parameters, like "
                    + name + " 'name', param: value");
        }
        if (blockKeywords().contains(name)) {
            throw new ConfigException(where, name + " needs a block: " + name + " { ... }");
        }
        if (context.hasVariable(name)) return context.variable(name);
        throw unknown(name, where);
    }

    /** Property style, {@code steps = 10} or {@code sde = 've'}. */
    public void propertyMissing(String name, Object value) {
        SourceLocation where = context.here();
        if (param(name) != null) {
            assign(name, value, where);
        } else if (pluginKeywords().contains(name) && Values.plain(value) instanceof String s) {
            choose(name, s, Map.of(), where);
        } else if (pluginKeywords().contains(name)) {
            throw new ConfigException(where, name + " needs a plugin name, like " + name + " 'name'; got " + Values.show(value));
        } else if (blockKeywords().contains(name)) {
            throw new ConfigException(where, name + " takes a block: " + name + " { ... }");
        } else {
            throw unknown(name, where);
        }
    }

    // ---- internals ----

    final void assign(String name, Object value, SourceLocation where) {
        Param p = param(name);
        Object written = Values.plain(value);
        checkType(p, written, where);
        // the value as written, so later messages (a range check) quote what the user wrote
        store(name, written, where);
    }

    /** Only the type: the range is the validator's, so a script value fixed by --set is not rejected early. */
    private void checkType(Param p, Object v, SourceLocation where) {
        Param typeOnly = new Param(p.name(), p.type(), p.defaultValue(), p.description(), null, false, null, p.choices(), p.rank());
        String owner = blockName();
        try {
            Params.of(owner, List.of(typeOnly), Collections.singletonMap(p.name(), v));
        } catch (ParamException e) {
            String prefix = owner + " parameter '" + p.name() + "'";
            String msg = e.getMessage().startsWith(prefix)
                    ? settingPhrase(p.name()) + e.getMessage().substring(prefix.length())
                    : e.getMessage();
            throw new ConfigException(where, msg);
        }
    }

    final Param param(String name) {
        for (Param p : settings()) if (p.name().equals(name)) return p;
        return null;
    }

    /** Every keyword of the block: settings, then plugin choices, then nested blocks. */
    final List<String> keywords() {
        List<String> all = new ArrayList<>();
        for (Param p : settings()) all.add(p.name());
        all.addAll(pluginKeywords());
        all.addAll(blockKeywords());
        return all;
    }

    private ConfigException unknown(String name, SourceLocation where) {
        return new ConfigException(where, "unknown setting '" + name + "' in " + blockName()
                + ". Accepted: " + String.join(", ", keywords()));
    }

    private static String describeArgs(Object[] a) {
        if (a.length == 0) return "nothing";
        List<String> shown = new ArrayList<>();
        for (Object o : a) shown.add(o instanceof Closure ? "a block { }" : Values.show(o));
        return String.join(", ", shown);
    }
}
