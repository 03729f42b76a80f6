package org.sdex.spi;

import java.util.List;
import java.util.Objects;

/**
 * One typed parameter of a plugin: its name (camelCase, as written in the DSL), type, default,
 * allowed range and a short description. Immutable; the fluent methods return modified copies.
 *
 * <pre>{@code Param.real("betaMax", 20.0, "beta at t = T").positive()}</pre>
 */
public record Param(String name, ParamType type, Object defaultValue, String description,
                    Double min, boolean minExclusive, Double max, List<String> choices, int rank, boolean maxExclusive) {

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    /** A parameter whose upper bound, if any, is inclusive. */
    public Param(String name, ParamType type, Object defaultValue, String description,
                 Double min, boolean minExclusive, Double max, List<String> choices, int rank) {
        this(name, type, defaultValue, description, min, minExclusive, max, choices, rank, false);
    }

    public static Param real(String name, Double defaultValue, String description) {
        return new Param(name, ParamType.REAL, defaultValue, description, null, false, null, null, 0);
    }

    public static Param integer(String name, Integer defaultValue, String description) {
        return new Param(name, ParamType.INT, defaultValue, description, null, false, null, null, 0);
    }

    public static Param bool(String name, Boolean defaultValue, String description) {
        return new Param(name, ParamType.BOOL, defaultValue, description, null, false, null, null, 0);
    }

    public static Param string(String name, String defaultValue, String description) {
        return new Param(name, ParamType.STRING, defaultValue, description, null, false, null, null, 0);
    }

    public static Param choice(String name, String defaultValue, String description, String... choices) {
        return new Param(name, ParamType.CHOICE, defaultValue, description, null, false, null, List.of(choices), 0);
    }

    public static Param reals(String name, List<Double> defaultValue, String description) {
        return new Param(name, ParamType.REALS, defaultValue, description, null, false, null, null, 1);
    }

    public static Param ints(String name, List<Integer> defaultValue, String description) {
        return new Param(name, ParamType.INTS, defaultValue, description, null, false, null, null, 1);
    }

    /** A nested numeric list of the given rank (no default means the parameter is required). */
    public static Param tensor(String name, int rank, String description) {
        return new Param(name, ParamType.TENSOR, null, description, null, false, null, null, rank);
    }

    /** Lower bound, inclusive. For lists it applies to every element. */
    public Param min(double v) { return new Param(name, type, defaultValue, description, v, false, max, choices, rank, maxExclusive); }

    /** Lower bound, exclusive. */
    public Param above(double v) { return new Param(name, type, defaultValue, description, v, true, max, choices, rank, maxExclusive); }

    public Param positive() { return above(0); }

    /** Upper bound, inclusive. */
    public Param max(double v) { return new Param(name, type, defaultValue, description, min, minExclusive, v, choices, rank, false); }

    /** Upper bound, exclusive (a probability that must stay below 1). */
    public Param below(double v) { return new Param(name, type, defaultValue, description, min, minExclusive, v, choices, rank, true); }

    public boolean required() { return defaultValue == null; }

    /** Human-readable accepted values, used in error messages and {@code sdex describe}. */
    public String accepted() {
        if (type == ParamType.CHOICE) return String.join(", ", choices);
        StringBuilder sb = new StringBuilder(type.phrase());
        if (type == ParamType.TENSOR) sb.append(" of rank ").append(rank);
        if (min != null && max != null) {
            sb.append(minExclusive ? " in (" : " in [").append(fmt(min)).append(", ").append(fmt(max)).append(maxExclusive ? ')' : ']');
        } else if (min != null) {
            sb.append(minExclusive ? " > " : " >= ").append(fmt(min));
        } else if (max != null) {
            sb.append(maxExclusive ? " < " : " <= ").append(fmt(max));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
