package org.sdex.plugins.sde;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/** {@code vp}: the variance-preserving SDE (DDPM's continuous limit). */
public final class VpSdePlugin implements SdePlugin {
    static final List<Param> BETAS = List.of(
            Param.real("betaMin", 0.1, "beta(0)").min(0),
            Param.real("betaMax", 20.0, "beta(1)").positive());

    @Override public String name() { return "vp"; }

    @Override public String description() { return "variance-preserving SDE, linear beta(t) (Song et al. 2021, Eq. 11)"; }

    @Override public List<Param> parameters() { return BETAS; }

    @Override
    public Sde create(Params p) {
        checkBetas(name(), p);
        return new VpSde(p.real("betaMin"), p.real("betaMax"));
    }

    static void checkBetas(String sde, Params p) {
        if (!(p.real("betaMax") > p.real("betaMin"))) {
            throw new ParamException("betaMax", "sde '" + sde + "' needs betaMax > betaMin, got betaMin "
                    + p.real("betaMin") + " and betaMax " + p.real("betaMax"));
        }
    }
}
