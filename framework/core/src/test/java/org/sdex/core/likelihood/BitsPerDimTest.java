package org.sdex.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.train.Fixtures;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * Bits per dimension: the offsets (8 for [0,1] data, 7 for centred data), agreement with the exact
 * code length of the discretized model, independence of the scaling and of the batch size, and the
 * probability-flow likelihood end to end.
 */
class BitsPerDimTest {
    /** Per-pixel model in [0,1] space: N(0.5, 0.15^2) independently; "images" of shape [1, 2, 2]. */
    static final double MU = 0.5, SD = 0.15;
    static final int D = 4;

    @BeforeAll
    static void quiet() { Fixtures.quietNd4j(); }

    static double logNormal(double y, double mu, double sd) {
        double u = (y - mu) / sd;
        return -0.5 * u * u - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
    }

    /** log p_y of each row of y [B, 1, 2, 2] in [0,1] space. */
    static INDArray logpUnit(INDArray y) {
        double[] v = y.castTo(DataType.DOUBLE).dup('c').reshape(y.length()).toDoubleVector();
        int b = (int) y.size(0);
        double[] out = new double[b];
        for (int i = 0; i < b; i++) for (int j = 0; j < D; j++) out[i] += logNormal(v[i * D + j], MU, SD);
        return Nd4j.createFromArray(out);
    }

    /** The same model seen in centred coordinates z = 2 y - 1: N(0, (2 SD)^2) per pixel. */
    static INDArray logpCentered(INDArray z) {
        double[] v = z.castTo(DataType.DOUBLE).dup('c').reshape(z.length()).toDoubleVector();
        int b = (int) z.size(0);
        double[] out = new double[b];
        for (int i = 0; i < b; i++) for (int j = 0; j < D; j++) out[i] += logNormal(v[i * D + j], 2 * MU - 1, 2 * SD);
        return Nd4j.createFromArray(out);
    }

    /** 8-bit images k/255 drawn from the model, rounded to the nearest level. */
    static INDArray images(int n, long seed) {
        INDArray y = new Rng(seed).normal(DataType.DOUBLE, n, 1, 2, 2).muli(SD).addi(MU);
        double[] v = y.dup('c').reshape(y.length()).toDoubleVector();
        for (int i = 0; i < v.length; i++) v[i] = Math.max(0, Math.min(255, Math.rint(v[i] * 255))) / 255;
        return Nd4j.create(v, new long[] {n, 1, 2, 2}, DataType.DOUBLE);
    }

    /** -log2 P(k) / D with P(k) = int over the cell [k/256, (k+1)/256)^D of p_y (Simpson, per pixel). */
    static double exactDiscreteBpd(double[] pixels01) {
        double bits = 0;
        for (double x : pixels01) {
            double k = Math.rint(x * 255);
            double a = k / 256, h = 1.0 / 256 / 64, s = 0;
            for (int i = 0; i <= 64; i++) {
                double w = i == 0 || i == 64 ? 1 : (i % 2 == 1 ? 4 : 2);
                s += w * Math.exp(logNormal(a + i * h, MU, SD));
            }
            bits -= Math.log(s * h / 3) / Math.log(2);
        }
        return bits / pixels01.length;
    }

    @Test
    void aUniformDensityCostsEightBitsInEitherScaling() {
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 3);
        assertThat(BitsPerDim.fromLogp(zero, 10, BitsPerDim.Scaling.UNIT).getDouble(0)).isEqualTo(8.0);
        // uniform on [-1,1]^D has log-density -D ln 2: one bit per dimension more, offset one less
        INDArray uniformCentered = Nd4j.valueArrayOf(new long[] {3}, -10 * Math.log(2), DataType.DOUBLE);
        assertThat(BitsPerDim.fromLogp(uniformCentered, 10, BitsPerDim.Scaling.CENTERED).getDouble(1)).isCloseTo(8.0, within(1e-12));
        assertThat(BitsPerDim.Scaling.UNIT.offset()).isEqualTo(8.0);
        assertThat(BitsPerDim.Scaling.CENTERED.offset()).isEqualTo(7.0);
    }

    @Test
    void dequantizationFillsEachPixelsCell() {
        INDArray x = images(50, 1);
        INDArray y = BitsPerDim.dequantize(x, 9, 0);
        INDArray k = x.mul(255);
        INDArray lo = k.div(256), hi = k.add(1).divi(256);
        assertThat(y.sub(lo).minNumber().doubleValue()).isGreaterThanOrEqualTo(-1e-12);
        assertThat(hi.sub(y).minNumber().doubleValue()).isGreaterThan(0);
        // row i's noise is row i's, wherever the batch starts
        INDArray tail = BitsPerDim.dequantize(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(20, 50)), 9, 20);
        assertThat(tail).isEqualTo(y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(20, 50)).dup());
    }

    /**
     * The dequantized estimate is, per point, an upper bound in expectation on the exact code length
     * of the discretized model, and for a smooth density a tight one; centred and [0,1] views of the
     * same model give identical numbers; the batch size changes nothing.
     */
    @Test
    void matchesTheDiscreteCodeLengthAndIsScalingAndBatchInvariant() {
        int n = 300;
        INDArray x = images(n, 2);
        BitsPerDim.Estimate unit = BitsPerDim.evaluate(x, BitsPerDim.Scaling.UNIT, (y, rng) -> logpUnit(y), 4, 64, 11);
        BitsPerDim.Estimate centred = BitsPerDim.evaluate(x, BitsPerDim.Scaling.CENTERED, (z, rng) -> logpCentered(z), 4, 64, 11);
        BitsPerDim.Estimate unitOtherBatch = BitsPerDim.evaluate(x, BitsPerDim.Scaling.UNIT, (y, rng) -> logpUnit(y), 4, 7, 11);
        double[] gap = new double[n];
        double exactMean = 0;
        for (int i = 0; i < n; i++) {
            double[] px = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').reshape(D).toDoubleVector();
            double exact = exactDiscreteBpd(px);
            exactMean += exact / n;
            gap[i] = unit.perPoint().getDouble(i) - exact;
        }
        double meanGap = 0, var = 0;
        for (double g : gap) meanGap += g / n;
        for (double g : gap) var += (g - meanGap) * (g - meanGap) / (n - 1);
        double seGap = Math.sqrt(var / n);
        System.out.printf("bpd: dequantized %.5f +- %.5f (4 repeats), exact discrete %.5f, gap %.2e +- %.1e; centred %.5f%n",
                unit.mean(), unit.standardError(), exactMean, meanGap, seGap, centred.mean());
        assertThat(meanGap).isBetween(-4 * seGap, 4 * seGap + 1e-3);
        assertThat(centred.perPoint().sub(unit.perPoint()).norm2Number().doubleValue()).isLessThan(1e-9);
        assertThat(unitOtherBatch.perPoint()).isEqualTo(unit.perPoint());
        assertThat(unit.standardError()).isGreaterThan(0).isLessThan(0.1);
        assertThat(unit.points()).isEqualTo(n);
        assertThat(unit.repeats()).isEqualTo(4);
    }

    /**
     * End to end: bpd of centred 2-D "images" through the probability-flow ODE with the exact score
     * equals the closed-form density at eps with the same dequantization draws, up to the prior's
     * mismatch with p_T (a few 1e-4 bits here).
     */
    @Test
    void probabilityFlowBitsPerDimMatchTheClosedForm() {
        Sde sde = new VpSde(0.1, 20);
        double eps = 1e-5;
        // a mixture on [-1,1]^2 (centred data), and 8-bit data drawn from it
        GaussianMixture gm = GaussianMixture.isotropic(new double[] {0.5, 0.5},
                new double[][] {{-0.4, 0.3}, {0.35, -0.2}}, new double[] {0.2, 0.25});
        INDArray z = gm.sample(40, new Rng(4), DataType.DOUBLE);
        double[] v = z.dup('c').reshape(z.length()).toDoubleVector();
        for (int i = 0; i < v.length; i++) v[i] = Math.max(0, Math.min(255, Math.rint((v[i] + 1) / 2 * 255))) / 255;
        INDArray x = Nd4j.create(v, new long[] {40, 2}, DataType.DOUBLE);
        ProbabilityFlowLikelihood pfl = new ProbabilityFlowLikelihood(sde, Oracle.exactScore(gm, sde), Divergence.exact(),
                Oracle.rk45(1e-6), eps);
        BitsPerDim.Estimate ode = BitsPerDim.evaluate(x, BitsPerDim.Scaling.CENTERED, pfl::logp, 2, 16, 5);
        GaussianMixture pEps = gm.at(sde, eps);
        BitsPerDim.Estimate closed = BitsPerDim.evaluate(x, BitsPerDim.Scaling.CENTERED, (c, rng) -> pEps.logDensity(c), 2, 16, 5);
        double maxDiff = ode.perPoint().sub(closed.perPoint()).amaxNumber().doubleValue();
        System.out.printf("bpd through the ODE %.5f +- %.5f, closed form %.5f +- %.5f, max per-point difference %.1e bits%n",
                ode.mean(), ode.standardError(), closed.mean(), closed.standardError(), maxDiff);
        assertThat(maxDiff).isLessThan(2e-3);
    }
}
