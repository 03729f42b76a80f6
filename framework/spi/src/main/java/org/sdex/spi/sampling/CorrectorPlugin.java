package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a corrector by name ({@code langevin}, {@code ald}, {@code none}, ...). */
public interface CorrectorPlugin extends Plugin {
    Corrector create(Params params, SamplerContext context);

    /** Score evaluations one {@link Corrector#update} makes; used for the exact NFE count. */
    int scoreEvaluationsPerStep(Params params);

    @Override
    default PluginKind kind() { return PluginKind.CORRECTOR; }
}
