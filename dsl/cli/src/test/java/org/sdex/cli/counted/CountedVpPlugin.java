package org.sdex.cli.counted;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sde.NoiseLabel;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/** The VP SDE with a constant beta of 1, logging each one it makes ("sde"). */
public final class CountedVpPlugin implements SdePlugin {
    @Override public String name() { return "counted_vp"; }

    @Override public String description() { return "VP SDE, beta = 1; logs each creation"; }

    @Override public List<Param> parameters() { return List.of(CallLog.PARAM); }

    @Override
    public Sde create(Params params) {
        CallLog.record(params, "sde");
        return new Sde() {
            @Override public double driftCoefficient(double t) { return -0.5; }

            @Override public double diffusion(double t) { return 1; }

            @Override public double meanScale(double t) { return Math.exp(-0.5 * t); }

            @Override public double marginalStd(double t) { return Math.sqrt(1 - Math.exp(-t)); }

            @Override public double priorStd() { return 1; }

            @Override public NoiseLabel noiseLabel() { return NoiseLabel.TIME_999; }
        };
    }
}
