package org.sdex.core.vocabulary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdex.core.config.PluginRef;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;

/**
 * A keyword of a block that chooses a plugin by name, with the plugin's parameters after it:
 * {@code sde 'vp', betaMax: 20}, {@code predictor 'langevin'}. {@code defaultPlugin} is used when the
 * block does not choose one (null: none; the block's own rules say whether one is needed).
 * {@code settings} are the kernel's own settings written among the plugin's parameters (the model's
 * {@code init} and {@code weights}); they are taken out before the plugin sees its parameters.
 */
public record PluginChoice(String keyword, PluginKind kind, String defaultPlugin, String doc, List<Param> settings) {

    public PluginChoice {
        settings = List.copyOf(settings);
    }

    public static PluginChoice of(String keyword, PluginKind kind, String defaultPlugin, String doc) {
        return new PluginChoice(keyword, kind, defaultPlugin, doc, List.of());
    }

    /** The same choice with kernel settings written among the plugin's parameters. */
    public PluginChoice withSettings(Param... kernelSettings) {
        return new PluginChoice(keyword, kind, defaultPlugin, doc, List.of(kernelSettings));
    }

    public boolean hasSetting(String name) {
        return settings.stream().anyMatch(p -> p.name().equals(name));
    }

    /**
     * Takes the kernel's settings out of a choice's parameters (so the plugin sees only its own) and
     * checks them, named as {@code model setting 'init'}; absent ones are null.
     */
    public Params takeSettings(PluginRef ref) {
        Map<String, Object> taken = new LinkedHashMap<>();
        for (Param p : settings) {
            Object v = ref.params.remove(p.name());
            if (v != null) taken.put(p.name(), v);
        }
        Block own = Block.of(keyword, doc, settings);
        return own.check(settings, taken, key -> ref.location);
    }
}
