package org.sdex.core.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.SourceLocation;

/**
 * A {@code sweep { }} block as written: its parts (grids, zipped lists, random searches), which
 * {@link SweepExpansion} multiplies into points, and the executor settings of its {@code slurm { }}
 * and {@code k8s { }} blocks. Keys are {@code --set} keys ({@code sde.betaMax}, {@code sample.solver}).
 */
public final class SweepDeclaration {
    public final List<Part> parts = new ArrayList<>();
    public final Map<String, Object> slurm = new LinkedHashMap<>();
    public final Map<String, Object> k8s = new LinkedHashMap<>();
    public SourceLocation location = SourceLocation.UNKNOWN;

    /** How a part turns its axes into partial points. */
    public enum Kind { GRID, ZIP, RANDOM }

    /** A random axis: uniform or log-uniform in [low, high], or a choice among values. */
    public enum Draw { UNIFORM, LOG_UNIFORM, CHOICE }

    /** One axis of a part: a setting and its values (grid, zip, choice) or its range (uniform, log-uniform). */
    public record Axis(String key, List<Object> values, Draw draw, double low, double high, SourceLocation location) {
        public static Axis listed(String key, List<Object> values, SourceLocation where) {
            // null stands for "as the script has it" (List.copyOf refuses nulls)
            return new Axis(key, java.util.Collections.unmodifiableList(new ArrayList<>(values)), null, 0, 0, where);
        }
    }

    /** A grid (every combination), a zip (the i-th values together) or a random search of {@code count} draws. */
    public record Part(Kind kind, List<Axis> axes, int count, long seed, SourceLocation location) {}

    public SweepDeclaration copy() {
        SweepDeclaration d = new SweepDeclaration();
        d.parts.addAll(parts);
        d.slurm.putAll(slurm);
        d.k8s.putAll(k8s);
        d.location = location;
        return d;
    }
}
