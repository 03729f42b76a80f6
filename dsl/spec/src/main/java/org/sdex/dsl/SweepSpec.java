package org.sdex.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.GroovyObjectSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.sweep.SweepDeclaration;
import org.sdex.core.sweep.SweepDeclaration.Axis;
import org.sdex.core.sweep.SweepDeclaration.Kind;
import org.sdex.core.sweep.SweepDeclaration.Part;

/**
 * {@code sweep { ... }}: the settings to vary, by their {@code --set} keys, and how the sweep runs
 * on a cluster.
 * <pre>
 *   grid 'sample.solver': ['dpm_solver_pp', 'edm_heun'], 'sample.steps': [10, 20, 50]
 *   zip 'train.lr': [1e-3, 2e-3], 'train.warmup': [50, 100]
 *   random(count: 8, seed: 1) { logUniform 'train.lr', 1e-4, 1e-2; choice 'model.hidden', [[64, 64], [128, 128]] }
 *   slurm { partition 'cpu'; time '01:00:00'; cpus 2; mem '4G'; parallel 4 }
 *   k8s { image 'registry/sdex:0.1'; claim 'sdex-sweeps'; cpu 2; memory '4Gi' }
 * </pre>
 * Parts multiply: the points are every combination of one partial point from each part. Keys and
 * values are checked per point by the validator, exactly as {@code --set} overrides are.
 */
public class SweepSpec extends GroovyObjectSupport {
    private static final List<String> KEYWORDS = List.of("grid", "zip", "random", "slurm", "k8s");
    /** Executor settings and their types. */
    static final Map<String, Class<?>> SLURM = Map.of("partition", String.class, "time", String.class, "cpus", Integer.class,
            "mem", String.class, "gpus", Integer.class, "parallel", Integer.class, "account", String.class);
    static final Map<String, Class<?>> K8S = Map.of("image", String.class, "claim", String.class, "cpu", Number.class,
            "memory", String.class, "gpus", Integer.class, "parallelism", Integer.class, "namespace", String.class);

    private final ScriptContext context;
    private final SweepDeclaration sweep;

    SweepSpec(ScriptContext context, SweepDeclaration sweep) {
        this.context = context;
        this.sweep = sweep;
    }

    /** Every combination of the listed values: {@code grid 'sde.betaMax': [10, 20], 'sample.steps': [10, 50]}. */
    public void grid(Map<String, ?> axes) { sweep.parts.add(listed(Kind.GRID, axes)); }

    /** The i-th values together: {@code zip 'train.lr': [1e-3, 2e-3], 'train.warmup': [50, 100]}. */
    public void zip(Map<String, ?> axes) { sweep.parts.add(listed(Kind.ZIP, axes)); }

    /** {@code count} random draws from a fixed {@code seed}: {@code random(count: 8, seed: 1) { uniform ...; logUniform ...; choice ... }}. */
    public void random(Map<String, ?> options, @DelegatesTo(value = RandomSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourceLocation where = context.here();
        int count = 0;
        long seed = 0;
        for (Map.Entry<String, ?> e : options.entrySet()) {
            Object v = Values.plain(e.getValue());
            switch (e.getKey()) {
                case "count" -> {
                    if (!(v instanceof Integer n) || n < 1) throw new ConfigException(where, "random: count must be an integer >= 1, got " + Values.show(v));
                    count = n;
                }
                case "seed" -> {
                    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                        throw new ConfigException(where, "random: seed must be an integer, got " + Values.show(v));
                    }
                    seed = n.longValue();
                }
                default -> throw new ConfigException(where, "random: unknown option '" + e.getKey() + "'. Accepted: count, seed");
            }
        }
        if (count == 0) throw new ConfigException(where, "random needs a count: random(count: 8, seed: 1) { ... }");
        RandomSpec spec = new RandomSpec(context);
        body.setDelegate(spec);
        body.setResolveStrategy(Closure.DELEGATE_ONLY);
        body.call();
        sweep.parts.add(new Part(Kind.RANDOM, spec.axes, count, seed, where));
    }

    /** How {@code --executor slurm} submits: partition, time, cpus, mem, gpus, parallel (the array's %K), account. */
    public void slurm(@DelegatesTo(value = ExecutorSettingsSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        new ExecutorSettingsSpec(context, "slurm", SLURM, sweep.slurm).evaluate(body);
    }

    /** What the {@code --executor k8s} manifest asks for: image, claim (the shared volume), cpu, memory, gpus, parallelism, namespace. */
    public void k8s(@DelegatesTo(value = ExecutorSettingsSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        new ExecutorSettingsSpec(context, "k8s", K8S, sweep.k8s).evaluate(body);
    }

    private Part listed(Kind kind, Map<String, ?> axes) {
        SourceLocation where = context.here();
        String word = kind.name().toLowerCase();
        if (axes.isEmpty()) throw new ConfigException(where, word + " needs settings and values, like " + word + " 'sample.steps': [10, 20]");
        List<Axis> out = new ArrayList<>();
        for (Map.Entry<String, ?> e : axes.entrySet()) {
            Object v = Values.plain(e.getValue());
            if (!(v instanceof List<?> values)) {
                throw new ConfigException(where, word + ": '" + e.getKey() + "' needs a list of values, like '" + e.getKey() + "': [V1, V2]; got " + Values.show(v));
            }
            out.add(Axis.listed(e.getKey(), new ArrayList<>(values), where));
        }
        return new Part(kind, out, 0, 0, where);
    }

    public Object methodMissing(String name, Object args) { throw unknown(name); }

    public Object propertyMissing(String name) {
        if (context.hasVariable(name)) return context.variable(name);
        throw unknown(name);
    }

    private ConfigException unknown(String name) {
        SourceLocation where = context.here();
        if (KEYWORDS.contains(name)) {
            return new ConfigException(where, name + " is written like this: " + switch (name) {
                case "grid" -> "grid 'sample.steps': [10, 20], 'sde.betaMax': [10, 20]";
                case "zip" -> "zip 'train.lr': [1e-3, 2e-3], 'train.warmup': [50, 100]";
                case "random" -> "random(count: 8, seed: 1) { uniform 'sde.betaMax', 10, 30 }";
                default -> name + " { ... }";
            });
        }
        return new ConfigException(where, "unknown keyword '" + name + "' in sweep. Accepted: " + String.join(", ", KEYWORDS));
    }

    /** The body of {@code random(...) { }}: one distribution per setting. */
    public static class RandomSpec extends GroovyObjectSupport {
        private final ScriptContext context;
        final List<Axis> axes = new ArrayList<>();

        RandomSpec(ScriptContext context) { this.context = context; }

        /** Uniform in [low, high]. */
        public void uniform(String key, Number low, Number high) { range(key, low, high, SweepDeclaration.Draw.UNIFORM); }

        /** Log-uniform in [low, high], both positive: learning rates, noise scales. */
        public void logUniform(String key, Number low, Number high) { range(key, low, high, SweepDeclaration.Draw.LOG_UNIFORM); }

        /** One of the values, each equally likely. */
        public void choice(String key, List<?> values) {
            SourceLocation where = context.here();
            Object v = Values.plain(values);
            if (((List<?>) v).isEmpty()) throw new ConfigException(where, "choice: '" + key + "' has no values; give at least one");
            axes.add(new Axis(key, new ArrayList<>((List<?>) v), SweepDeclaration.Draw.CHOICE, 0, 0, where));
        }

        private void range(String key, Number low, Number high, SweepDeclaration.Draw draw) {
            SourceLocation where = context.here();
            double lo = low.doubleValue(), hi = high.doubleValue();
            if (!(lo < hi)) throw new ConfigException(where, "'" + key + "': the range needs low < high, got " + lo + " and " + hi);
            if (draw == SweepDeclaration.Draw.LOG_UNIFORM && !(lo > 0)) {
                throw new ConfigException(where, "logUniform '" + key + "' needs a positive range, got low = " + lo);
            }
            axes.add(new Axis(key, List.of(), draw, lo, hi, where));
        }

        public Object methodMissing(String name, Object args) {
            throw new ConfigException(context.here(), "unknown keyword '" + name + "' in random; write uniform 'KEY', LOW, HIGH, "
                    + "logUniform 'KEY', LOW, HIGH or choice 'KEY', [V1, V2]");
        }
    }

    /** {@code slurm { }} or {@code k8s { }}: named executor settings of fixed types. */
    public static class ExecutorSettingsSpec extends GroovyObjectSupport {
        private final ScriptContext context;
        private final String block;
        private final Map<String, Class<?>> accepted;
        private final Map<String, Object> into;

        ExecutorSettingsSpec(ScriptContext context, String block, Map<String, Class<?>> accepted, Map<String, Object> into) {
            this.context = context;
            this.block = block;
            this.accepted = accepted;
            this.into = into;
        }

        void evaluate(Closure<?> body) {
            body.setDelegate(this);
            body.setResolveStrategy(Closure.DELEGATE_ONLY);
            body.call();
        }

        public Object methodMissing(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            set(name, a.length == 1 ? a[0] : null);
            return null;
        }

        public void propertyMissing(String name, Object value) { set(name, value); }

        private void set(String name, Object raw) {
            SourceLocation where = context.here();
            Class<?> type = accepted.get(name);
            if (type == null) {
                throw new ConfigException(where, "unknown setting '" + name + "' in " + block + ". Accepted: "
                        + String.join(", ", new java.util.TreeSet<>(accepted.keySet())));
            }
            Object v = Values.plain(raw);
            boolean ok = type == String.class ? v instanceof String s && !s.isBlank()
                    : type == Integer.class ? v instanceof Integer i && i >= 0
                    : v instanceof Number n && n.doubleValue() > 0;
            if (!ok) {
                String expected = type == String.class ? "a text" : type == Integer.class ? "an integer >= 0" : "a positive number";
                throw new ConfigException(where, block + " setting '" + name + "' takes " + expected + ", got " + Values.show(v));
            }
            into.put(name, v);
        }
    }
}
