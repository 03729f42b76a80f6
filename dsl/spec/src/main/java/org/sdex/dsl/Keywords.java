package org.sdex.dsl;

import java.util.List;
import java.util.Map;
import org.sdex.core.config.LikelihoodSettings;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.TrainSettings;
import org.sdex.spi.Param;

/** The DSL's vocabulary, shared by the spec classes, --set overrides and {@code sdex describe}. */
public final class Keywords {
    private Keywords() {}

    static final String SEED = "seed";
    static final Param SEED_PARAM = Param.integer(SEED, 0, "seed of everything random in the experiment").min(0);

    /** Plugins chosen at the top level, named like their {@link org.sdex.spi.PluginKind} labels. */
    static final List<String> EXPERIMENT_PLUGINS = List.of("data", "sde", "model");

    static final List<String> BLOCKS = List.of("train", "sample", "likelihood");

    /** The blocks an experiment may have: train, sample, likelihood. */
    public static List<String> blocks() { return BLOCKS; }

    /** One line on what a block does. */
    public static String blockDescription(String block) {
        return switch (block) {
            case "train" -> "training by denoising score matching (Adam, warm-up, gradient clipping, EMA of the weights)";
            case "sample" -> "sampling: predictor/corrector (default euler_maruyama/none), or the probability-flow ode, or a fast solver";
            case "likelihood" -> "exact log-likelihood / bits per dimension through the probability-flow ODE; latent codes";
            default -> throw new IllegalArgumentException(block);
        };
    }

    /** Plugins chosen inside a block. */
    public static List<String> blockPlugins(String block) {
        return switch (block) {
            case "sample" -> List.of("predictor", "corrector", "ode", "solver");
            case "likelihood" -> List.of("ode");
            default -> List.of();
        };
    }

    /** The plugin a block uses when the script chooses none (the validator's defaults). */
    static String defaultPlugin(String block, String keyword) {
        return Map.of("sample.predictor", SampleSettings.DEFAULT_PREDICTOR,
                "sample.corrector", SampleSettings.DEFAULT_CORRECTOR,
                "likelihood.ode", LikelihoodSettings.DEFAULT_ODE).get(block + "." + keyword);
    }

    public static List<Param> blockSettings(String block) {
        return switch (block) {
            case "train" -> TrainSettings.PARAMS;
            case "sample" -> SampleSettings.PARAMS;
            case "likelihood" -> LikelihoodSettings.PARAMS;
            default -> throw new IllegalArgumentException(block);
        };
    }
}
