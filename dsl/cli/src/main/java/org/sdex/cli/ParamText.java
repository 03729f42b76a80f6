package org.sdex.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.sdex.spi.Param;

/** How a plugin parameter or block setting is shown: type, default and accepted values. */
final class ParamText {
    private ParamText() {}

    static final String[] HEADER = {"PARAMETER", "TYPE", "DEFAULT", "ACCEPTED", "DESCRIPTION"};

    static String[] row(Param p, int maxDefault) {
        return new String[] {p.name(), type(p), shorten(defaultValue(p), maxDefault), p.accepted(),
                p.description() == null ? "" : p.description()};
    }

    static String type(Param p) {
        String t = p.type().name().toLowerCase(Locale.ROOT);
        return p.type() == org.sdex.spi.ParamType.TENSOR ? t + "/" + p.rank() : t;
    }

    static String defaultValue(Param p) {
        return p.required() ? "(required)" : value(p.defaultValue());
    }

    private static String value(Object v) {
        if (v instanceof Double d) {
            BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
            if (Math.abs(d) >= 1e-4 && Math.abs(d) < 1e7 || d == 0) return b.scale() <= 0 ? b.toBigInteger() + ".0" : b.toPlainString();
            return String.valueOf(d);
        }
        if (v instanceof List<?> l) return l.stream().map(ParamText::value).collect(Collectors.joining(", ", "[", "]"));
        return String.valueOf(v);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
