package org.sdex.spi.guide;

import java.util.Set;
import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a conditioning guide by name ({@code replace}, {@code classifier}, {@code cfg}, {@code dps}, ...). */
public interface GuidePlugin extends Plugin {
    /**
     * Builds the guide; throws {@link org.sdex.spi.ParamException} or {@link IllegalArgumentException}
     * with one line when the context does not fit (e.g. an operator without the structure it needs).
     */
    Guide create(Params params, GuideContext context);

    /** What the guide needs from the run; the kernel checks each before any compute. */
    Set<GuideNeed> needs(Params params);

    /**
     * Whether the guide constrains the state after steps ({@link Guide#hook}). An ODE solver has no
     * steps the kernel sees (adaptive solvers reject and retry steps), so such a guide is refused on
     * the probability-flow ODE way.
     */
    default boolean projects(Params params) { return false; }

    /** Score evaluations the guided score makes per evaluation of the sampler (2 for CFG and DPS); for the NFE forecast. */
    default int evaluationsPerScore(Params params) { return 1; }

    @Override
    default PluginKind kind() { return PluginKind.GUIDE; }
}
