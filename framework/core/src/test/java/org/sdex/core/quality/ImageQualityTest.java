package org.sdex.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.random.Rng;

/** PSNR and SSIM against their closed forms. */
class ImageQualityTest {
    private static INDArray constant(double v, int n) { return Nd4j.valueArrayOf(new long[] {n, 1, 16, 16}, v, DataType.DOUBLE); }

    @Test
    void psnrOfAConstantErrorIsMinusTwentyLogItsSize() {
        INDArray ref = new Rng(1).uniform(DataType.DOUBLE, 2, 3, 16, 16).muli(0.8);
        double[] p = ImageQuality.psnr(ref.add(0.1), ref);
        assertThat(p[0]).isCloseTo(20.0, within(1e-9));
        assertThat(p[1]).isCloseTo(20.0, within(1e-9));
        assertThat(ImageQuality.psnr(ref.add(0.01), ref)[0]).isCloseTo(40.0, within(1e-9));
        assertThat(ImageQuality.psnr(ref, ref)[0]).isInfinite();
    }

    @Test
    void theReconstructionIsClippedToTheImageRangeFirst() {
        // 1.3 is shown as 1: an error of 0.2 against 0.8, not 0.5
        assertThat(ImageQuality.psnr(constant(1.3, 1), constant(0.8, 1))[0]).isCloseTo(-20 * Math.log10(0.2), within(1e-9));
    }

    @Test
    void ssimOfAnImageWithItselfIsOneAndOfTwoFlatImagesItsLuminanceTerm() {
        INDArray x = new Rng(2).uniform(DataType.DOUBLE, 3, 1, 28, 28);
        for (double s : ImageQuality.ssim(x, x)) assertThat(s).isCloseTo(1.0, within(1e-12));
        double u = 0.5, v = 0.6, c1 = 1e-4;
        assertThat(ImageQuality.ssim(constant(u, 1), constant(v, 1))[0]).isCloseTo((2 * u * v + c1) / (u * u + v * v + c1), within(1e-12));
    }

    @Test
    void ssimFallsWithNoiseAndIsSymmetric() {
        INDArray x = new Rng(3).uniform(DataType.DOUBLE, 1, 3, 16, 16);
        INDArray slightly = x.add(new Rng(4).normal(DataType.DOUBLE, 1, 3, 16, 16).muli(0.02));
        INDArray much = x.add(new Rng(4).normal(DataType.DOUBLE, 1, 3, 16, 16).muli(0.3));
        double a = ImageQuality.ssim(slightly, x)[0], b = ImageQuality.ssim(much, x)[0];
        assertThat(a).isLessThan(1).isGreaterThan(b);
        INDArray inside = x.mul(0.5).addi(0.25); // no clipping either way
        assertThat(ImageQuality.ssim(inside, x)[0]).isCloseTo(ImageQuality.ssim(x, inside)[0], within(1e-12));
    }
}
