package org.sdex.plugins.samplers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.plugins.data.GaussianMixturePlugin;
import org.sdex.plugins.models.exact.ExactModelPlugin;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.testing.SampleStats;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * A Gaussian-mixture data set (the {@code gmm} plugin, any dimension) as the target of a sampler
 * acceptance test, with the floors of its statistics measured at a fixed sample size.
 *
 * <p>The statistics are the mode weights (K), each component's mean (K d) and covariance entries
 * on and above the diagonal (K d (d + 1) / 2), taken over the points whose most likely component is
 * that one; and, separately, the sliced Wasserstein distance to an exact sample of the same size.
 * The floor of a statistic is its standard error at this size, measured from {@link #FLOOR_PAIRS}
 * pairs of independent exact samples ({@link GaussianMixture#sample}): the RMS difference within a
 * pair over sqrt 2. For the sliced Wasserstein distance, which is positive even between two exact
 * samples, the pairs give its null mean and standard deviation instead.
 */
final class MixtureTarget {
    static final int FLOOR_PAIRS = 40;
    /** Directions of the sliced Wasserstein distance, and the seed that fixes them. */
    static final int PROJECTIONS = 64;
    static final long SW_SEED = 7;

    final String name;
    final Dataset data;
    final GaussianMixture mixture;
    final int samples;
    final int dim;
    final int components;
    final double[] floor;
    final double swMean;
    final double swStd;

    private MixtureTarget(String name, Dataset data, int samples) {
        this.name = name;
        this.data = data;
        this.mixture = data.mixture().map(GaussianMixture::new).orElseThrow();
        this.samples = samples;
        this.dim = mixture.dim();
        this.components = mixture.components();
        int m = statisticCount();
        double[] sq = new double[m];
        double[] sw = new double[FLOOR_PAIRS];
        for (int p = 0; p < FLOOR_PAIRS; p++) {
            INDArray a = data.sample(samples, new Rng(1000 + p));
            INDArray b = data.sample(samples, new Rng(2000 + p));
            double[] sa = statistics(a), sb = statistics(b);
            for (int j = 0; j < m; j++) sq[j] += (sa[j] - sb[j]) * (sa[j] - sb[j]);
            sw[p] = SampleStats.slicedWasserstein(a, b, PROJECTIONS, SW_SEED);
        }
        floor = new double[m];
        for (int j = 0; j < m; j++) floor[j] = Math.sqrt(sq[j] / (2.0 * FLOOR_PAIRS));
        double mean = 0, var = 0;
        for (double v : sw) mean += v / FLOOR_PAIRS;
        for (double v : sw) var += (v - mean) * (v - mean) / (FLOOR_PAIRS - 1);
        swMean = mean;
        swStd = Math.sqrt(var);
    }

    /** The gmm data set with these parameters, its floors measured at {@code samples} points. */
    static MixtureTarget of(String name, double[] weights, double[][] means, double[][][] covariances, int samples) {
        GaussianMixturePlugin p = new GaussianMixturePlugin();
        Dataset data = p.open(Params.of(p, Map.of(
                        "weights", list(weights), "means", list(means), "covariances", list(covariances))),
                new DataContext(Path.of("."), DataType.DOUBLE, "train"));
        return new MixtureTarget(name, data, samples);
    }

    /** The {@code exact} model's score of this data under the SDE. */
    ScoreFunction exactScore(Sde sde) {
        ExactModelPlugin exact = new ExactModelPlugin();
        AnalyticModel model = (AnalyticModel) exact.create(Params.of(exact, Map.of()),
                new ModelContext(sde, data, data.shape(), DataType.DOUBLE, new Rng(0)));
        return model.score();
    }

    int statisticCount() { return components * (1 + dim + dim * (dim + 1) / 2); }

    /** Weights (K), then the means (K d), then the upper-triangular covariance entries (K d (d + 1) / 2). */
    double[] statistics(INDArray x) {
        double[][] r = mixture.responsibilities(x);
        double[][] rows = SampleStats.rows(x);
        List<List<double[]>> byComponent = new ArrayList<>();
        for (int k = 0; k < components; k++) byComponent.add(new ArrayList<>());
        for (int b = 0; b < rows.length; b++) {
            int best = 0;
            for (int q = 1; q < components; q++) if (r[b][q] > r[b][best]) best = q;
            byComponent.get(best).add(rows[b]);
        }
        double[] s = new double[statisticCount()];
        int tri = dim * (dim + 1) / 2;
        for (int k = 0; k < components; k++) {
            double[][] pts = byComponent.get(k).toArray(double[][]::new);
            s[k] = (double) pts.length / rows.length;
            if (pts.length < 2) continue;
            double[] m = SampleStats.mean(pts);
            double[][] c = SampleStats.covariance(pts);
            System.arraycopy(m, 0, s, components + k * dim, dim);
            int o = components * (1 + dim) + k * tri;
            for (int i = 0; i < dim; i++) for (int j = i; j < dim; j++) s[o++] = c[i][j];
        }
        return s;
    }

    /** The mixture's own parameters in the slots of {@link #statistics}. */
    double[] truth() {
        double[][] m = new double[components][];
        double[][][] c = new double[components][][];
        for (int k = 0; k < components; k++) {
            m[k] = mixture.mean(k);
            c[k] = mixture.covariance(k);
        }
        double[] s = pack(m, c);
        System.arraycopy(mixture.weights(), 0, s, 0, components);
        return s;
    }

    /** Means and covariances per component in the slots of {@link #statistics} (weights left 0). */
    double[] pack(double[][] means, double[][][] covariances) {
        double[] s = new double[statisticCount()];
        int tri = dim * (dim + 1) / 2;
        for (int k = 0; k < components; k++) {
            System.arraycopy(means[k], 0, s, components + k * dim, dim);
            int o = components * (1 + dim) + k * tri;
            for (int i = 0; i < dim; i++) for (int j = i; j < dim; j++) s[o++] = covariances[k][i][j];
        }
        return s;
    }

    String label(int j) {
        if (j < components) return "weight of component " + (j + 1);
        j -= components;
        if (j < components * dim) return "mean[" + j % dim + "] of component " + (j / dim + 1);
        j -= components * dim;
        int tri = dim * (dim + 1) / 2, k = j / tri, e = j % tri;
        for (int i = 0; i < dim; i++) {
            if (e < dim - i) return "covariance[" + i + "][" + (i + e) + "] of component " + (k + 1);
            e -= dim - i;
        }
        throw new IllegalArgumentException("no statistic " + j);
    }

    /**
     * The sliced Wasserstein distance that a law whose components are Gaussians with the given
     * means and covariances has at most from the mixture: coupling component with component, the
     * distance is at most sum_k w_k E_u W2(u.X'_k, u.X_k), and W2 between 1-D Gaussians is
     * sqrt(dm^2 + (s' - s)^2). Averaged over the same kind of random directions as the statistic.
     */
    double swBound(double[][] means, double[][][] covariances) {
        double[] w = mixture.weights();
        Rng rng = new Rng(SW_SEED);
        double[] u = new double[dim];
        int directions = 256;
        double total = 0;
        for (int p = 0; p < directions; p++) {
            rng.fillGaussian(u, 0, dim);
            double norm = 0;
            for (double v : u) norm += v * v;
            norm = Math.sqrt(norm);
            for (int i = 0; i < dim; i++) u[i] /= norm;
            for (int k = 0; k < components; k++) {
                double[] m0 = mixture.mean(k);
                double[][] c0 = mixture.covariance(k);
                double dm = 0;
                for (int i = 0; i < dim; i++) dm += u[i] * (means[k][i] - m0[i]);
                double ds = Math.sqrt(quad(u, covariances[k])) - Math.sqrt(quad(u, c0));
                total += w[k] * Math.sqrt(dm * dm + ds * ds);
            }
        }
        return total / directions;
    }

    private static double quad(double[] u, double[][] c) {
        double s = 0;
        for (int i = 0; i < u.length; i++) for (int j = 0; j < u.length; j++) s += u[i] * c[i][j] * u[j];
        return s;
    }

    private static List<Object> list(Object a) {
        List<Object> l = new ArrayList<>();
        if (a instanceof double[] v) {
            for (double d : v) l.add(d);
        } else {
            for (Object o : (Object[]) a) l.add(list(o));
        }
        return l;
    }

    @Override public String toString() { return name; }
}
