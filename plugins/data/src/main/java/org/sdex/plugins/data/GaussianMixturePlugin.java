package org.sdex.plugins.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.ParamType;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.data.LabelledDraw;
import org.sdex.spi.data.MixtureParameters;
import org.sdex.spi.random.Rng;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * {@code gmm}: a Gaussian mixture in any dimension with explicit weights, means and covariances (or
 * isotropic stds). Its exact density is known, so it is the ground truth for samplers, likelihoods
 * and the {@code exact} model. Default: 8 equal Gaussians of std 0.5 on a circle of radius 4
 * (about [-5.5, 5.5]^2; neighbours 3.1 apart, over 6 std). {@code std} is used only when
 * {@code covariances} is empty; a draw's class label is its component. Sizes that do not agree are a
 * {@link ParamException}, with components numbered from 1 as written.
 */
public final class GaussianMixturePlugin implements DatasetPlugin {
    private static final int DEFAULT_MODES = 8;

    @Override public String name() { return "gmm"; }

    @Override public String description() { return "Gaussian mixture in any dimension with exact density (ground truth)"; }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.reals("weights", List.of(), "component weights, normalised (empty = equal)").positive(),
                new Param("means", ParamType.TENSOR, defaultMeans(), "component means, one list per component",
                        null, false, null, null, 2),
                new Param("covariances", ParamType.TENSOR, List.of(), "component covariance matrices (empty = use std)",
                        null, false, null, null, 3),
                Param.reals("std", List.of(0.5), "isotropic std, one for all or one per component; ignored when covariances are given")
                        .positive());
    }

    private static List<List<Double>> defaultMeans() {
        List<List<Double>> m = new ArrayList<>();
        for (int k = 0; k < DEFAULT_MODES; k++) {
            double a = 2 * Math.PI * k / DEFAULT_MODES;
            m.add(List.of(4 * Math.cos(a), 4 * Math.sin(a)));
        }
        return m;
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        GaussianMixture mixture = mixture(p);
        DataType type = ctx.dataType();
        return new Dataset() {
            @Override public long[] shape() { return new long[] {mixture.dim()}; }

            @Override public INDArray sample(int n, Rng rng) { return mixture.sample(n, rng, type); }

            /** The label of a draw is its mixture component. */
            @Override public LabelledDraw sampleLabelled(int n, Rng rng) {
                int[] labels = new int[n];
                return new LabelledDraw(mixture.sample(n, rng, type, labels), labels);
            }

            @Override public int classes() { return mixture.components(); }

            @Override public Optional<MixtureParameters> mixture() { return Optional.of(mixture.parameters()); }

            @Override public String toString() { return "'gmm'"; }
        };
    }

    static GaussianMixture mixture(Params p) {
        double[][] means = p.matrix("means");
        int k = means.length;
        if (k == 0) throw new ParamException("means", "data 'gmm' needs at least one mean");
        int d = means[0].length;
        if (d == 0) throw new ParamException("means", "data 'gmm' means must not be empty lists");
        for (int i = 0; i < k; i++) {
            if (means[i].length != d) {
                throw new ParamException("means", "data 'gmm' means must all have dimension " + d + "; mean " + (i + 1) + " has " + means[i].length);
            }
        }
        double[] weights = p.reals("weights");
        if (weights.length == 0) {
            weights = new double[k];
            java.util.Arrays.fill(weights, 1.0);
        } else if (weights.length != k) {
            throw new ParamException("weights", "data 'gmm' has " + k + " means but " + weights.length + " weights");
        }
        double[][][] cov = p.tensor3("covariances");
        if (cov.length == 0) {
            double[] std = p.reals("std");
            if (std.length != 1 && std.length != k) {
                throw new ParamException("std", "data 'gmm' std needs 1 or " + k + " values, got " + std.length);
            }
            double[] perComponent = new double[k];
            for (int i = 0; i < k; i++) perComponent[i] = std[std.length == 1 ? 0 : i];
            return GaussianMixture.isotropic(weights, means, perComponent);
        }
        if (cov.length != k) {
            throw new ParamException("covariances", "data 'gmm' has " + k + " means but " + cov.length + " covariances");
        }
        for (int i = 0; i < k; i++) checkCovariance(i, means[i], cov[i]);
        return new GaussianMixture(weights, means, cov);
    }

    /** Shape, symmetry and positive definiteness of one covariance, reported with the 1-based numbering users write. */
    private static void checkCovariance(int i, double[] mean, double[][] cov) {
        try {
            new GaussianMixture(new double[] {1}, new double[][] {mean}, new double[][][] {cov});
        } catch (IllegalArgumentException e) {
            // a one-component mixture names its only covariance "covariance 0"
            throw new ParamException("covariances", "data 'gmm' " + e.getMessage().replace("covariance 0", "covariance " + (i + 1)));
        }
    }
}
