package org.sdex.plugins.sde;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/** {@code subvp}: the sub-VP SDE. */
public final class SubVpSdePlugin implements SdePlugin {
    @Override public String name() { return "subvp"; }

    @Override public String description() { return "sub-VP SDE, variance bounded by VP's (Song et al. 2021, Eq. 12)"; }

    @Override public List<Param> parameters() { return VpSdePlugin.BETAS; }

    @Override
    public Sde create(Params p) {
        VpSdePlugin.checkBetas(name(), p);
        return new SubVpSde(p.real("betaMin"), p.real("betaMax"));
    }
}
