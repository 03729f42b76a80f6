package org.sdex.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.error.SdexException;
import org.sdex.spi.random.Rng;

/**
 * Expands a sweep into its points. Each part (a grid, a zip, a random search, a {@code --grid}
 * option) gives a list of partial points; the sweep is their Cartesian product, in the order the
 * parts were written, the last part varying fastest. A point is a list of {@code --set}
 * assignments, so it is applied to the experiment exactly like command-line overrides.
 */
public final class SweepExpansion {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BARE = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]*");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._+\\-]+");

    private SweepExpansion() {}

    /**
     * The points of the script's sweep (may be null) times the command line's grid axes
     * ({@code KEY=V1,V2,...}).
     */
    public static List<SweepPoint> expand(SweepDeclaration declared, List<String> gridOptions) {
        List<List<String>> points = List.of(List.of());
        Map<String, SourceLocation> seen = new HashMap<>();
        if (declared != null) {
            if (declared.parts.isEmpty()) {
                throw new ConfigException(declared.location, "the sweep has nothing to sweep; add grid 'KEY': [V1, V2], zip ... or random(count: N, seed: S) { ... }");
            }
            for (SweepDeclaration.Part part : declared.parts) {
                for (SweepDeclaration.Axis a : part.axes()) claim(seen, a.key(), a.location());
                points = product(points, partial(part));
            }
        }
        for (String option : gridOptions) {
            SourceLocation where = new SourceLocation("--grid " + option, 0);
            int eq = option.indexOf('=');
            if (eq <= 0) throw new ConfigException(where, "expected KEY=V1,V2,..., like --grid sample.steps=10,20,50");
            String key = option.substring(0, eq).strip();
            List<String> values = splitTopLevel(option.substring(eq + 1));
            if (values.isEmpty()) throw new ConfigException(where, "'" + key + "' has no values; write --grid " + key + "=V1,V2");
            claim(seen, key, where);
            List<List<String>> axis = new ArrayList<>();
            for (String v : values) axis.add(List.of(key + "=" + v));
            points = product(points, axis);
        }
        if (seen.isEmpty()) throw new SdexException("nothing to sweep: the script has no sweep { } block and no --grid was given");
        List<SweepPoint> out = new ArrayList<>();
        for (List<String> p : points) out.add(new SweepPoint(out.size(), p, shortName(p)));
        return out;
    }

    private static void claim(Map<String, SourceLocation> seen, String key, SourceLocation where) {
        SourceLocation first = seen.putIfAbsent(key, where);
        if (first != null) throw new ConfigException(where, "'" + key + "' is swept twice; it is already swept at " + first);
    }

    private static List<List<String>> partial(SweepDeclaration.Part part) {
        List<List<String>> out = new ArrayList<>();
        switch (part.kind()) {
            case GRID -> {
                out.add(List.of());
                for (SweepDeclaration.Axis a : part.axes()) {
                    nonEmpty(a);
                    List<List<String>> axis = new ArrayList<>();
                    for (Object v : a.values()) axis.add(assignments(a.key(), v));
                    out = product(out, axis);
                }
            }
            case ZIP -> {
                int n = -1;
                for (SweepDeclaration.Axis a : part.axes()) {
                    nonEmpty(a);
                    if (n >= 0 && a.values().size() != n) {
                        throw new ConfigException(a.location(), "zip needs lists of one length; '" + a.key() + "' has "
                                + a.values().size() + " values, '" + part.axes().get(0).key() + "' has " + n);
                    }
                    n = a.values().size();
                }
                for (int i = 0; i < n; i++) {
                    List<String> p = new ArrayList<>();
                    for (SweepDeclaration.Axis a : part.axes()) p.addAll(assignments(a.key(), a.values().get(i)));
                    out.add(p);
                }
            }
            case RANDOM -> {
                if (part.axes().isEmpty()) {
                    throw new ConfigException(part.location(), "random search has no settings; add uniform 'KEY', LOW, HIGH, logUniform ... or choice 'KEY', [V1, V2]");
                }
                Rng rng = new Rng(part.seed());
                for (int i = 0; i < part.count(); i++) {
                    List<String> p = new ArrayList<>();
                    for (SweepDeclaration.Axis a : part.axes()) p.addAll(assignments(a.key(), draw(a, rng)));
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * The point's assignment of one value; none for null, which leaves the setting as the script
     * has it (a zip that switches ways of sampling sets a solver at some points and not at others).
     */
    private static List<String> assignments(String key, Object value) {
        return value == null ? List.of() : List.of(assignment(key, value));
    }

    private static void nonEmpty(SweepDeclaration.Axis a) {
        if (a.values().isEmpty()) {
            throw new ConfigException(a.location(), "'" + a.key() + "' has no values; give at least one, like '" + a.key() + "': [V1, V2]");
        }
    }

    private static Object draw(SweepDeclaration.Axis a, Rng rng) {
        double u = rng.nextDouble();
        return switch (a.draw()) {
            case UNIFORM -> round(a.low() + u * (a.high() - a.low()));
            case LOG_UNIFORM -> round(Math.exp(Math.log(a.low()) + u * (Math.log(a.high()) - Math.log(a.low()))));
            case CHOICE -> a.values().get((int) Math.min(a.values().size() - 1, Math.floor(u * a.values().size())));
        };
    }

    /** Six significant digits: what is drawn is what is shown in names, tables and configs. */
    private static double round(double v) { return Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)); }

    private static List<List<String>> product(List<List<String>> a, List<List<String>> b) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> x : a) {
            for (List<String> y : b) {
                List<String> p = new ArrayList<>(x);
                p.addAll(y);
                out.add(p);
            }
        }
        return out;
    }

    /**
     * {@code key=value} with the value as a literal that --set reads back as the same value: names
     * bare ({@code sample.solver=ddim}), other strings quoted, numbers, booleans and lists as JSON.
     */
    public static String assignment(String key, Object value) {
        String text;
        if (value instanceof String s && BARE.matcher(s).matches() && !List.of("true", "false", "null").contains(s)) {
            text = s;
        } else {
            try {
                text = JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new SdexException("sweep: cannot write the value of '" + key + "': " + e.getOriginalMessage(), e);
            }
        }
        return key + "=" + text;
    }

    /** Splits {@code a,b,[1,2]} at the commas outside brackets and quotes. */
    static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                if (!cur.toString().isBlank()) out.add(cur.toString().strip());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    /** The values of a point joined into a folder-safe name: {@code dpm_solver_pp-20}. */
    static String shortName(List<String> assignments) {
        List<String> parts = new ArrayList<>();
        for (String a : assignments) parts.add(UNSAFE.matcher(SweepPoint.value(a)).replaceAll("_").replaceAll("^_+|_+$", ""));
        String name = String.join("-", parts);
        if (name.isEmpty()) name = "point";
        return name.length() > 60 ? name.substring(0, 60) : name;
    }
}
