package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;
import org.sdex.spi.sde.Sde;

/** Provides a predictor by name ({@code euler_maruyama}, {@code reverse_diffusion}, ...). */
public interface PredictorPlugin extends Plugin {
    Predictor create(Params params, SamplerContext context);

    /** Score evaluations one {@link Predictor#update} makes (0 for {@code none}); used for the exact NFE count. */
    default int scoreEvaluationsPerStep(Params params) { return 1; }

    /**
     * Why this plugin cannot run on the given SDE, or null when it can; checked by the validator
     * before any compute (e.g. ancestral sampling exists only for the VE and VP discretisations).
     */
    default String unsupported(Sde sde, Params params) { return null; }

    @Override
    default PluginKind kind() { return PluginKind.PREDICTOR; }
}
