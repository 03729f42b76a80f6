package org.sdex.core.likelihood;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.core.train.Fixtures;
import org.sdex.plugins.models.exact.ExactModelPlugin;
import org.sdex.plugins.sde.SubVpSde;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/** Ground truth for the likelihood tests: random Gaussian mixtures, their exact scores, the rk45 solver. */
final class Oracle {
    private Oracle() {}

    static Stream<Arguments> sdesAndDims() {
        return Stream.of(new VpSde(0.1, 20), new SubVpSde(0.1, 20), new VeSde(0.01, 50))
                .flatMap(sde -> Stream.of(2, 6).map(d -> Arguments.of(sde.getClass().getSimpleName(), sde, d)));
    }

    /**
     * Three components with means 3 N(0, I) and covariances 0.3 A A^T + 0.1 I (A standard normal):
     * random, non-isotropic, well conditioned; the test mixture of the exact model's own tests.
     */
    static GaussianMixture mixture(int d, long seed) {
        Rng rng = new Rng(seed);
        int k = 3;
        double[][] means = new double[k][d];
        double[][][] covs = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) means[c][i] = 3 * rng.nextGaussian();
            double[][] a = new double[d][d];
            for (double[] row : a) rng.fillGaussian(row, 0, d);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = i == j ? 0.1 : 0;
                    for (int q = 0; q < d; q++) s += 0.3 * a[i][q] * a[j][q];
                    covs[c][i][j] = s;
                }
            }
        }
        return new GaussianMixture(new double[] {0.5, 0.3, 0.2}, means, covs);
    }

    /** The {@code exact} model's score for this mixture under the SDE, through the plugin. */
    static DifferentiableScore exactScore(GaussianMixture gm, Sde sde) {
        Fixtures.MixtureData data = new Fixtures.MixtureData(gm, DataType.DOUBLE);
        ExactModelPlugin p = new ExactModelPlugin();
        AnalyticModel m = (AnalyticModel) p.create(Params.of(p, Map.of()),
                new ModelContext(sde, data, data.shape(), DataType.DOUBLE, new Rng(0)));
        return (DifferentiableScore) m.score();
    }

    /** The {@code rk45} plugin (sdex-plugin-ode), found as the kernel finds it, with rtol = atol = tol. */
    static OdeSolver rk45(double tol) {
        OdeSolverPlugin p = java.util.ServiceLoader.load(OdeSolverPlugin.class).stream().map(java.util.ServiceLoader.Provider::get)
                .filter(s -> s.name().equals("rk45")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'rk45' ODE solver plugin on the test class path (sdex-plugin-ode)"));
        return p.create(Params.of(p, Map.of("rtol", tol, "atol", tol)), 0);
    }
}
