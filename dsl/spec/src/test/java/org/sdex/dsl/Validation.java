package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.PluginLoader;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.run.ExperimentValidator;
import org.sdex.core.run.RunOptions;

/** Test support: the built-in plugins, a validator over them, and the test scripts. */
final class Validation {
    static final PluginRegistry REGISTRY = PluginLoader.load(List.of());
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    static final ExperimentValidator VALIDATOR = new ExperimentValidator(REGISTRY, RunOptions.defaults(TMP, TMP));

    private Validation() {}

    static Path script(String name) {
        try {
            return Path.of(Validation.class.getResource("/scripts/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no test script " + name, e);
        }
    }

    /** Loads, overrides and validates, as {@code sdex validate} does. */
    static ExperimentPlan plan(String script, String... sets) {
        ExperimentConfig config = Overrides.apply(ExperimentLoader.load(script(script)), List.of(sets));
        return VALIDATOR.validate(config);
    }

    /** The one-line message the user would see for this script and these overrides. */
    static String error(String script, String... sets) {
        String[] message = new String[1];
        assertThatThrownBy(() -> plan(script, sets))
                .isInstanceOf(SdexException.class)
                .satisfies(e -> message[0] = e.getMessage());
        if (message[0].contains("\n")) throw new AssertionError("message is not one line: " + message[0]);
        return message[0];
    }
}
