package org.sdex.dsl;

import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.vocabulary.Block;
import org.sdex.spi.Param;

/**
 * What every block of the DSL shares. The block's keywords come from its {@link Block} in the
 * core vocabulary; subclasses declare typed methods per keyword only for IDE completion. Whatever
 * has no typed method lands in {@link #methodMissing} or {@link #propertyMissing}, which record it
 * when the vocabulary knows it and otherwise turn it into a one-line error at the script line.
 * Values are only type-checked here (a string where a number belongs); ranges, plugin names and
 * plugin parameters are checked by the core validator, so --set overrides are checked the same way.
 *
 * <p>A block has three sorts of keywords: settings (one typed value, e.g. {@code steps 1000}),
 * plugin choices ({@code sde 'vp', betaMax: 20}) and nested blocks ({@code train { ... }}).
 */
public abstract class SpecSupport extends GroovyObjectSupport {
    final ScriptContext context;
    /** Setting names read without a value, waiting to see whether a {@code -} follows. */
    private final List<BareSetting> bareSettings = new ArrayList<>();

    SpecSupport(ScriptContext context) { this.context = context; }

    /** What this block accepts. */
    abstract Block block();

    /** Records a setting whose value has the right type (or is a string that parses as it). */
    abstract void store(String name, Object value, SourceLocation where);

    /** Records a plugin choice (name and raw parameters). */
    void choose(String keyword, String plugin, Map<String, Object> params, SourceLocation where) {
        throw new IllegalStateException(block().name() + " has no plugin keywords");
    }

    /** Evaluates a nested block's body. */
    void open(Block nested, Closure<?> body) {
        throw new IllegalStateException(block().name() + " has no nested blocks");
    }

    /** How a setting is named in messages; the validator words its messages the same way. */
    final String settingPhrase(String name) { return block().phrase(name); }

    // ---- called by the typed keyword methods of subclasses ----

    final void set(String name, Object value) { assign(name, value, context.here()); }

    final void plugin(String keyword, String plugin, Map<?, ?> params) {
        choose(keyword, plugin, params == null ? Map.of() : Values.plainMap(params), context.here());
    }

    final void nested(String name, Closure<?> body) { open(block().block(name), body); }

    /** Runs a block's closure against this spec, then reports settings left without a value. */
    final void readBody(Closure<?> body) {
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
        if (block().plugin(name) != null) {
            // name 'plugin' or name 'plugin', param: value (Groovy passes the named parameters first)
            if (a.length == 1 && a[0] instanceof CharSequence plugin) {
                choose(name, plugin.toString(), Map.of(), where);
                return null;
            }
            if (a.length == 2 && a[0] instanceof Map<?, ?> params && a[1] instanceof CharSequence plugin) {
                choose(name, plugin.toString(), Values.plainMap(params), where);
                return null;
            }
            throw new ConfigException(where, name + " takes a plugin name and optional named parameters, like "
                    + name + " 'name', param: value; got " + describeArgs(a));
        }
        if (block().block(name) != null) {
            if (a.length == 1 && a[0] instanceof Closure<?> body) {
                open(block().block(name), body);
                return null;
            }
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
        if (block().plugin(name) != null) {
            throw new ConfigException(where, name + " needs a plugin name and optional named parameters, like "
                    + name + " 'name', param: value");
        }
        if (block().block(name) != null) {
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
        } else if (block().plugin(name) != null && Values.plain(value) instanceof String s) {
            choose(name, s, Map.of(), where);
        } else if (block().plugin(name) != null) {
            throw new ConfigException(where, name + " needs a plugin name, like " + name + " 'name'; got " + Values.show(value));
        } else if (block().block(name) != null) {
            throw new ConfigException(where, name + " takes a block: " + name + " { ... }");
        } else {
            throw unknown(name, where);
        }
    }

    // ---- internals ----

    final void assign(String name, Object value, SourceLocation where) {
        Object written = Values.plain(value);
        block().checkType(name, written, where);
        // the value as written, so later messages (a range check) quote what the user wrote
        store(name, written, where);
    }

    final Param param(String name) { return block().setting(name); }

    private ConfigException unknown(String name, SourceLocation where) { return block().unknown(name, where); }

    private static String describeArgs(Object[] a) {
        if (a.length == 0) return "nothing";
        List<String> shown = new ArrayList<>();
        for (Object o : a) shown.add(o instanceof Closure ? "a block { }" : Values.show(o));
        return String.join(", ", shown);
    }
}
