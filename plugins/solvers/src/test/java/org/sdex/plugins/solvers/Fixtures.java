package org.sdex.plugins.solvers;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.plugins.sde.SubVpSdePlugin;
import org.sdex.plugins.sde.VeSdePlugin;
import org.sdex.plugins.sde.VpSdePlugin;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;
import org.sdex.toolkit.oracle.GaussianMixture;

/** What the solver tests share: the built-in SDEs with default parameters, exact scores, running a solver. */
final class Fixtures {
    private Fixtures() {}

    static Sde sde(String name) {
        SdePlugin p = switch (name) {
            case "vp" -> new VpSdePlugin();
            case "subvp" -> new SubVpSdePlugin();
            case "ve" -> new VeSdePlugin();
            default -> throw new IllegalArgumentException(name);
        };
        return p.create(Params.of(p, Map.of()));
    }

    static SolverPlugin solver(String name) {
        return switch (name) {
            case "dpm_solver_pp" -> new DpmSolverPlusPlusPlugin();
            case "edm_heun" -> new EdmHeunPlugin();
            case "ddim" -> new DdimPlugin();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The exact score of a mixture's marginal under the SDE, with the pushed mixture cached per t. */
    static ScoreFunction exactScore(GaussianMixture data, Sde sde) {
        return new ScoreFunction() {
            double cachedT = Double.NaN;
            GaussianMixture cached;

            @Override
            public INDArray score(INDArray x, double t) {
                if (t != cachedT) {
                    cached = data.at(sde, t);
                    cachedT = t;
                }
                return cached.score(x);
            }
        };
    }

    static INDArray run(String solver, Map<String, ?> params, Sde sde, ScoreFunction score, int steps, double eps,
                        boolean denoise, INDArray xT, Rng rng) {
        SolverPlugin p = solver(solver);
        return p.create(Params.of(p, params), new SamplerContext(sde, score, steps, eps, denoise, false, StepHook.NONE)).sample(xT, rng, null);
    }
}
