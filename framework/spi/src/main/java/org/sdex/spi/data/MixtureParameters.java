package org.sdex.spi.data;

/**
 * The parameters of a Gaussian mixture {@code sum_k w_k N(mu_k, Sigma_k)}, as a data set states
 * its exact distribution ({@link Dataset#mixture}): weights [K] (positive, not necessarily
 * normalised), means [K][d], covariances [K][d][d]. Only the description: the density, score and
 * draws are computed by {@code org.sdex.toolkit.oracle.GaussianMixture}, which also checks them.
 * The arrays are copied in and out, so the parameters cannot change after the fact.
 */
public record MixtureParameters(double[] weights, double[][] means, double[][][] covariances) {
    public MixtureParameters {
        weights = weights.clone();
        means = copy(means);
        covariances = copy(covariances);
    }

    @Override public double[] weights() { return weights.clone(); }

    @Override public double[][] means() { return copy(means); }

    @Override public double[][][] covariances() { return copy(covariances); }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    private static double[][][] copy(double[][][] a) {
        double[][][] c = new double[a.length][][];
        for (int i = 0; i < a.length; i++) c[i] = copy(a[i]);
        return c;
    }
}
