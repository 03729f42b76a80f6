package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a predictor by name ({@code euler_maruyama}, {@code reverse_diffusion}, ...). */
public interface PredictorPlugin extends Plugin {
    Predictor create(Params params, SamplerContext context);

    /** Score evaluations one {@link Predictor#update} makes (0 for {@code none}); used for the exact NFE count. */
    default int scoreEvaluationsPerStep(Params params) { return 1; }

    @Override
    default PluginKind kind() { return PluginKind.PREDICTOR; }
}
