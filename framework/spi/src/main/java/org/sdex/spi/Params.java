package org.sdex.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validated parameter values of one plugin instance. Built only by {@link #of(Plugin, Map)}, which
 * checks every given value against the plugin's {@link Param}s (name, type, range) and fills in
 * defaults, so plugins can read values without checking them again.
 */
public final class Params {
    private final String owner;
    private final Map<String, Object> values;

    private Params(String owner, Map<String, Object> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Validates {@code given} against the plugin's declared parameters and applies defaults. */
    public static Params of(Plugin plugin, Map<String, ?> given) {
        return of(plugin.kind().label() + " '" + plugin.name() + "'", plugin.parameters(), given);
    }

    public static Params of(String owner, List<Param> spec, Map<String, ?> given) {
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : spec) byName.put(p.name(), p);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : given.entrySet()) {
            Param p = byName.get(e.getKey());
            if (p == null) {
                String accepted = byName.isEmpty() ? "it takes no parameters"
                        : "Accepted: " + String.join(", ", byName.keySet());
                throw new ParamException(e.getKey(), owner + " has no parameter '" + e.getKey() + "'. " + accepted);
            }
            out.put(p.name(), coerce(owner, p, e.getValue()));
        }
        for (Param p : spec) {
            if (!out.containsKey(p.name())) {
                if (p.required()) {
                    throw new ParamException(p.name(), owner + " needs parameter '" + p.name() + "' (" + p.accepted() + ")");
                }
                out.put(p.name(), coerce(owner, p, p.defaultValue()));
            }
        }
        return new Params(owner, out);
    }

    private static Object coerce(String owner, Param p, Object v) {
        String where = owner + " parameter '" + p.name() + "'";
        try {
            return switch (p.type()) {
                case REAL -> checkRange(where, p, toReal(v), v);
                case INT -> Math.toIntExact(checkRange(where, p, toInt(v), v));
                case BOOL -> {
                    if (v instanceof Boolean b) yield b;
                    if ("true".equals(v) || "false".equals(v)) yield Boolean.parseBoolean((String) v);
                    throw new IllegalArgumentException();
                }
                case STRING -> {
                    if (v instanceof CharSequence s) yield s.toString();
                    throw new IllegalArgumentException();
                }
                case CHOICE -> {
                    if (v instanceof CharSequence s && p.choices().contains(s.toString())) yield s.toString();
                    throw new IllegalArgumentException();
                }
                case REALS -> {
                    List<Double> l = new ArrayList<>();
                    for (Object o : asList(v)) l.add(checkRange(where, p, toReal(o), o));
                    yield List.copyOf(l);
                }
                case INTS -> {
                    List<Integer> l = new ArrayList<>();
                    for (Object o : asList(v)) l.add(Math.toIntExact(checkRange(where, p, toInt(o), o)));
                    yield List.copyOf(l);
                }
                case TENSOR -> tensor(where, p, v, p.rank());
            };
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException ex) {
            if (ex instanceof ParamException pe) throw pe;
            if (ex instanceof ArithmeticException && (p.type() == ParamType.INT || p.type() == ParamType.INTS)) {
                throw new ParamException(p.name(), where + " must be at most " + Integer.MAX_VALUE + ", got " + show(v));
            }
            // a quoted number ('512') is text: say so, since it looks right in the script
            boolean numeric = p.type() == ParamType.REAL || p.type() == ParamType.INT;
            String hint = numeric && v instanceof CharSequence t && isNumber(t) ? " (text; write the number without quotes)" : "";
            throw new ParamException(p.name(), where + " must be " + p.accepted() + ", got " + show(v) + hint);
        }
    }

    private static boolean isNumber(CharSequence text) {
        try {
            Double.parseDouble(text.toString().strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Object tensor(String where, Param p, Object v, int rank) {
        if (rank == 0) return checkRange(where, p, toReal(v), v);
        List<Object> l = new ArrayList<>();
        for (Object o : asList(v)) l.add(tensor(where, p, o, rank - 1));
        return List.copyOf(l);
    }

    private static List<?> asList(Object v) {
        if (v instanceof List<?> l) return l;
        // a single number where a list is expected means a list of one (`std: 0.5`)
        if (v instanceof Number n) return List.of(n);
        if (v instanceof Object[] a) return List.of(a);
        if (v instanceof double[] a) return java.util.Arrays.stream(a).boxed().toList();
        if (v instanceof int[] a) return java.util.Arrays.stream(a).boxed().toList();
        throw new IllegalArgumentException();
    }

    /** Words --set uses for what JSON cannot write; read as numbers so the range check names them. */
    private static final List<String> NON_FINITE = List.of("Infinity", "-Infinity", "NaN");

    private static double toReal(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        // other text, even '512', is not a number: a quoted value is a mistake worth reporting
        if (v instanceof CharSequence s && NON_FINITE.contains(s.toString().strip())) return Double.parseDouble(s.toString().strip());
        throw new IllegalArgumentException();
    }

    private static long toInt(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof java.math.BigInteger b) return b.longValueExact();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw new IllegalArgumentException();
    }

    private static <T extends Number> T checkRange(String where, Param p, T value, Object written) {
        double d = value.doubleValue();
        // infinity passes any range; an overflowing expression (1e308 * 10) arrives as infinity too
        if (!Double.isFinite(d)) throw new ParamException(p.name(), where + " must be a finite number, got " + show(written));
        boolean ok = true
                && (p.min() == null || (p.minExclusive() ? d > p.min() : d >= p.min()))
                && (p.max() == null || (p.maxExclusive() ? d < p.max() : d <= p.max()));
        if (!ok) throw new ParamException(p.name(), where + " must be " + p.accepted() + ", got " + show(written));
        return value;
    }

    private static String show(Object v) {
        if (v == null) return "nothing";
        if (v instanceof CharSequence s) return "'" + s + "'";
        return v.toString();
    }

    public String owner() { return owner; }

    public double real(String name) { return ((Number) get(name)).doubleValue(); }

    public int integer(String name) { return (Integer) get(name); }

    public boolean bool(String name) { return (Boolean) get(name); }

    public String string(String name) { return (String) get(name); }

    public double[] reals(String name) {
        return ((List<?>) get(name)).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    public int[] ints(String name) {
        return ((List<?>) get(name)).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    /** A rank-2 tensor parameter as a (possibly ragged) matrix. */
    public double[][] matrix(String name) {
        return ((List<?>) get(name)).stream()
                .map(r -> ((List<?>) r).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray())
                .toArray(double[][]::new);
    }

    /** A rank-3 tensor parameter, e.g. a list of covariance matrices. */
    public double[][][] tensor3(String name) {
        return ((List<?>) get(name)).stream()
                .map(m -> ((List<?>) m).stream()
                        .map(r -> ((List<?>) r).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray())
                        .toArray(double[][]::new))
                .toArray(double[][][]::new);
    }

    public Object raw(String name) { return get(name); }

    /** All values, defaults included, in declaration order; safe to serialise as JSON. */
    public Map<String, Object> asMap() { return values; }

    private Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(owner + " declares no parameter '" + name + "'");
        }
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }
}
