package org.sdex.dsl;

import groovy.lang.GString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns values written in a script into plain Java values and shows values in messages. */
final class Values {
    private Values() {}

    /**
     * GStrings become Strings and Groovy's BigDecimal literals ({@code 2e-3}) Doubles, recursively,
     * so the config holds the same kinds of values whether it came from a script or from --set.
     */
    static Object plain(Object v) {
        if (v instanceof GString g) return g.toString();
        if (v instanceof BigDecimal d) return d.doubleValue();
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(plain(o));
            return out;
        }
        if (v instanceof Object[] a) return plain(List.of(a));
        if (v instanceof Map<?, ?> m) return plainMap(m);
        return v;
    }

    static Map<String, Object> plainMap(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
        return out;
    }

    /** Negates a number written after a setting name ({@code lr -1}, which Groovy reads as {@code lr - 1}). */
    static Object negate(Object v) {
        Object p = plain(v);
        if (p instanceof Integer i) return -i;
        if (p instanceof Long l) return -l;
        if (p instanceof Double d) return -d;
        if (p instanceof Float f) return -f;
        if (p instanceof BigInteger b) return b.negate();
        return p;
    }

    /** A value as it appears in messages: strings quoted, numbers and lists as written. */
    static String show(Object v) {
        if (v == null) return "nothing";
        if (v instanceof CharSequence s) return "'" + s + "'";
        return String.valueOf(plain(v));
    }

    /** A value as it would be written in a script, e.g. a setting's default in an example. */
    static String literal(Object v) {
        if (v instanceof Double d) {
            BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
            return b.scale() <= 0 ? b.toBigInteger() + ".0" : b.toPlainString();
        }
        return show(v);
    }
}
