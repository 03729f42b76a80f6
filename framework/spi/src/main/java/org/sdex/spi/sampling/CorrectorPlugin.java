package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;
import org.sdex.spi.sde.Sde;

/** Provides a corrector by name ({@code langevin}, {@code ald}, {@code none}, ...). */
public interface CorrectorPlugin extends Plugin {
    Corrector create(Params params, SamplerContext context);

    /** Score evaluations one {@link Corrector#update} makes; used for the exact NFE count. */
    int scoreEvaluationsPerStep(Params params);

    /**
     * Why this plugin cannot run on the given SDE, or null when it can; checked by the validator
     * before any compute (e.g. ancestral sampling exists only for the VE and VP discretisations).
     */
    default String unsupported(Sde sde, Params params) { return null; }

    @Override
    default PluginKind kind() { return PluginKind.CORRECTOR; }
}
