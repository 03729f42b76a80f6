package org.sdex.dsl;

import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;

/**
 * A setting name read as a property. Groovy parses {@code lr -1} as {@code lr - 1}, so the
 * name alone arrives first; {@link #minus} then records the negative value the user meant. A
 * bare setting nobody subtracts from was written without a value, which the block reports.
 */
public final class BareSetting {
    private final SpecSupport spec;
    final String name;
    final SourceLocation where;
    boolean used;

    BareSetting(SpecSupport spec, String name, SourceLocation where) {
        this.spec = spec;
        this.name = name;
        this.where = where;
    }

    public Object minus(Object value) {
        used = true;
        spec.assign(name, Values.negate(value), where);
        return null;
    }

    /** Anything else done with the name ({@code steps * 2}) reads a setting, which the DSL does not offer. */
    public Object methodMissing(String method, Object args) {
        used = true;
        throw new ConfigException(where, spec.settingPhrase(name) + " can be set but not read; keep a shared value in a variable: def "
                + name + " = " + Values.literal(spec.param(name).defaultValue()));
    }

    @Override
    public String toString() { return name; }
}
