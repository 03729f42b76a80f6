package org.sdex.plugins.sde;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/** {@code ve}: the variance-exploding SDE (SMLD's continuous limit). */
public final class VeSdePlugin implements SdePlugin {
    @Override public String name() { return "ve"; }

    @Override public String description() { return "variance-exploding SDE, geometric sigma(t) (Song et al. 2021, Eq. 9)"; }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.real("sigmaMin", 0.01, "sigma(0)").positive(),
                Param.real("sigmaMax", 50.0, "sigma(1); should exceed the largest distance between data points").positive());
    }

    @Override
    public Sde create(Params p) {
        if (!(p.real("sigmaMax") > p.real("sigmaMin"))) {
            throw new ParamException("sigmaMax", "sde 've' needs sigmaMax > sigmaMin, got sigmaMin "
                    + p.real("sigmaMin") + " and sigmaMax " + p.real("sigmaMax"));
        }
        return new VeSde(p.real("sigmaMin"), p.real("sigmaMax"));
    }
}
