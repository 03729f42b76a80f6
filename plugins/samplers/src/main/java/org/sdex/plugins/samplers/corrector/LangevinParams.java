package org.sdex.plugins.samplers.corrector;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.sde.Discretization;
import org.sdex.spi.sde.Sde;

/** The parameters and the step-size factor alpha_i shared by the Langevin correctors (Song et al. 2021, Alg. 4-5). */
final class LangevinParams {
    private LangevinParams() {}

    static final String SNR = "snr";
    static final String N_STEPS = "nSteps";

    static final List<Param> PARAMETERS = List.of(
            Param.real(SNR, 0.16, "signal-to-noise ratio r that sets the Langevin step size").positive(),
            Param.integer(N_STEPS, 1, "Langevin steps per noise level (score evaluations per corrector step)").min(1));

    /**
     * alpha_i = (1 + driftScale)^2 of the SDE's N-step discretisation at t. For VP (DDPM's
     * discretisation, driftScale = sqrt(1 - beta_i) - 1) it is the reference's 1 - beta_i, for VE it
     * is 1, and for sub-VP, which has no discrete schedule of its own, it is the same quantity for
     * its default Euler discretisation, (1 + f(t) T / N)^2 = 1 - beta(t) / N + O(1/N^2), i.e. VP's
     * alpha_i to first order (the reference has no alpha for sub-VP and crashes there).
     */
    static double alpha(Sde sde, double t, int steps) {
        Discretization d = sde.discretize(t, steps);
        double a = 1 + d.driftScale();
        return a * a;
    }
}
