package org.sdex.dsl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.vocabulary.Block;
import org.sdex.core.vocabulary.Vocabulary;

/**
 * Command-line overrides, {@code --set key=value}, applied to a loaded config in order:
 * <pre>
 *   seed=3                     sde=ve                   sde.betaMax=10
 *   train.steps=10             sample.n=500             model.hidden=[64,64]
 *   sample.predictor=euler_maruyama                     sample.corrector.snr=0.2
 * </pre>
 * Values are JSON-like literals (numbers, booleans, lists); anything else is a string. Like script
 * values they are checked by the validator, whose messages then point at the {@code --set}.
 */
public final class Overrides {
    private static final ObjectMapper LITERALS = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Overrides() {}

    /** A copy of {@code config} with the assignments applied. */
    public static ExperimentConfig apply(ExperimentConfig config, List<String> assignments) {
        ExperimentConfig c = config.copy();
        for (String a : assignments) apply(c, a);
        return c;
    }

    private static void apply(ExperimentConfig c, String assignment) {
        SourceLocation where = SourceLocation.override(assignment);
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new ConfigException(where, "expected key=value, like --set train.steps=100");
        String key = assignment.substring(0, eq).strip();
        Object value = literal(assignment.substring(eq + 1));
        List<String> path = Arrays.asList(key.split("\\.", -1));
        if (path.stream().anyMatch(String::isBlank)) {
            throw new ConfigException(where, "malformed key '" + key + "'; keys look like seed, sde, sde.betaMax, train.steps");
        }
        String head = path.get(0);
        List<String> rest = path.subList(1, path.size());
        Block top = Vocabulary.EXPERIMENT;
        if (top.setting(head) != null) {
            if (!rest.isEmpty()) throw new ConfigException(where, head + " has no parts; write --set " + head + "=VALUE");
            top.checkType(head, value, where);
            c.seed = ((Number) value).longValue();
            c.seedLocation = where;
        } else if (top.plugin(head) != null) {
            c.choose(head, plugin(c.plugin(head), head, null, rest, value, where));
        } else if (top.block(head) != null && Vocabulary.runBlocks().contains(top.block(head))) {
            block(c, top.block(head), rest, value, where);
        } else {
            throw new ConfigException(where, "unknown setting '" + head + "'. Accepted: " + acceptedKeys());
        }
    }

    private static void block(ExperimentConfig c, Block block, List<String> rest, Object value, SourceLocation where) {
        String name = block.name();
        if (rest.isEmpty()) {
            throw new ConfigException(where, name + " is a block; set one of its settings, like --set " + name + "."
                    + block.settings().get(0).name() + "=" + Values.literal(block.settings().get(0).defaultValue()));
        }
        Section s = c.sectionOrCreate(name, where);
        String key = rest.get(0);
        if (block.plugin(key) != null) {
            if (block == Vocabulary.SAMPLE) keepOneWayOfSampling(s, key);
            s.plugins.put(key, plugin(s.plugins.get(key), name + "." + key, block.plugin(key).defaultPlugin(),
                    rest.subList(1, rest.size()), value, where));
        } else if (rest.size() > 1) {
            throw new ConfigException(where, name + "." + key + " is not a plugin choice; write --set " + name + "." + key + "=VALUE");
        } else {
            // unknown names are left to the validator, which lists the block's settings
            s.set(key, value, where);
        }
    }

    /**
     * Choosing a way of sampling from the command line (an ode, a solver, or a predictor/corrector)
     * replaces the script's way: {@code --set sample.ode=rk45} on a predictor-corrector script
     * samples with the ODE instead of failing because the block now has two ways.
     */
    private static void keepOneWayOfSampling(Section sample, String key) {
        List<String> way = switch (key) {
            case "ode" -> List.of("ode");
            case "solver" -> List.of("solver");
            default -> List.of("predictor", "corrector");
        };
        sample.plugins.keySet().removeIf(k -> !way.contains(k));
    }

    /**
     * {@code sde=ve} chooses another plugin (the old one's parameters are dropped: they belong to
     * it); {@code sde.betaMax=10} sets a parameter of the chosen one.
     */
    private static PluginRef plugin(PluginRef ref, String key, String defaultName, List<String> rest, Object value,
                                    SourceLocation where) {
        if (rest.isEmpty()) {
            if (!(value instanceof String name) || name.isBlank()) {
                throw new ConfigException(where, key + " needs a plugin name, like --set " + key + "=NAME; got " + Values.show(value));
            }
            if (ref != null && name.equals(ref.name)) return ref;
            return new PluginRef(name, Map.of(), where);
        }
        if (rest.size() > 1) {
            throw new ConfigException(where, "too many parts in '" + key + "." + String.join(".", rest)
                    + "'; set a plugin parameter like --set " + key + ".PARAM=VALUE");
        }
        if (ref == null && defaultName == null) {
            throw new ConfigException(where, key + " has no default plugin to set '" + rest.get(0) + "' on; choose one first,"
                    + " like --set " + key + "=NAME --set " + key + "." + rest.get(0) + "=VALUE");
        }
        PluginRef out = ref != null ? ref.copy() : new PluginRef(defaultName, Map.of(), where);
        out.params.put(rest.get(0), value);
        out.location = where;
        return out;
    }

    /** Parses a value as a JSON literal, falling back to the text itself (so {@code sde=ve} needs no quotes). */
    static Object literal(String text) {
        String t = text.strip();
        try {
            Object v = LITERALS.readValue(t, Object.class);
            return v == null ? t : v;
        } catch (JsonProcessingException e) {
            return t;
        }
    }

    private static String acceptedKeys() {
        List<String> keys = new ArrayList<>();
        Vocabulary.EXPERIMENT.settings().forEach(p -> keys.add(p.name()));
        Vocabulary.EXPERIMENT.plugins().forEach(p -> keys.add(p.keyword() + "[.PARAM]"));
        Vocabulary.runBlocks().forEach(b -> keys.add(b.name() + ".SETTING"));
        return String.join(", ", keys);
    }
}
