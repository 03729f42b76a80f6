package org.sdex.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.core.train.Fixtures;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/** Encoding and decoding through the probability-flow ODE are inverse; slerp stays on the sphere. */
class LatentCodecTest {
    static final double EPS = 1e-5;

    @BeforeAll
    static void quiet() { Fixtures.quietNd4j(); }

    @ParameterizedTest(name = "{0} d={2}")
    @MethodSource("org.sdex.core.likelihood.Oracle#sdesAndDims")
    void encodeThenDecodeRecoversTheData(String name, Sde sde, int d) {
        GaussianMixture gm = Oracle.mixture(d, 40 + d);
        LatentCodec codec = new LatentCodec(sde, Oracle.exactScore(gm, sde), Oracle.rk45(1e-5), EPS);
        INDArray x = gm.at(sde, EPS).sample(32, new Rng(3), DataType.DOUBLE);
        LatentCodec.RoundTrip rt = codec.roundTrip(x);
        System.out.printf("round trip %-9s d=%d rk45 tol=1e-5: relative error max %.2e, mean %.2e, NFE %d (encode + decode)%n",
                name, d, rt.maxRelativeError(), rt.meanRelativeError(), rt.nfe());
        assertThat(rt.maxRelativeError()).isLessThan(1e-3);
        // the latents are distributed as p_T: near the prior's scale, not the data's
        double rms = rt.latent().norm2Number().doubleValue() / Math.sqrt(rt.latent().length());
        assertThat(rms).isBetween(0.5 * sde.marginalStd(sde.T()), 2.0 * Math.hypot(sde.marginalStd(sde.T()), 4 * sde.meanScale(sde.T())));
        assertThat(rt.reconstruction().shape()).containsExactly(32, d);
    }

    @Test
    void slerpFollowsTheGreatCircle() {
        INDArray z0 = new Rng(1).normal(DataType.DOUBLE, 4, 10);
        INDArray z1 = new Rng(2).normal(DataType.DOUBLE, 4, 10);
        assertThat(LatentCodec.slerp(z0, z1, 0).sub(z0).norm2Number().doubleValue()).isLessThan(1e-12);
        assertThat(LatentCodec.slerp(z0, z1, 1).sub(z1).norm2Number().doubleValue()).isLessThan(1e-12);
        // equal norms: every point keeps the norm, and the angle from z0 grows linearly
        INDArray a = z0.getRow(0).reshape(1, 10);
        INDArray b = z1.getRow(0).reshape(1, 10);
        b = b.mul(a.norm2Number().doubleValue() / b.norm2Number().doubleValue());
        double theta = Math.acos(a.mul(b).sumNumber().doubleValue() / Math.pow(a.norm2Number().doubleValue(), 2));
        INDArray path = LatentCodec.interpolate(a, b, 5);
        assertThat(path.shape()).containsExactly(5, 10);
        for (int i = 0; i < 5; i++) {
            INDArray p = path.getRow(i).reshape(1, 10);
            assertThat(p.norm2Number().doubleValue()).isCloseTo(a.norm2Number().doubleValue(), within(1e-10));
            double angle = Math.acos(Math.min(1, p.mul(a).sumNumber().doubleValue() / Math.pow(a.norm2Number().doubleValue(), 2)));
            assertThat(angle).isCloseTo(theta * i / 4, within(1e-6));
        }
        // parallel latents fall back to the straight line
        INDArray mid = LatentCodec.slerp(a, a.mul(3), 0.5);
        assertThat(mid.sub(a.mul(2)).norm2Number().doubleValue()).isLessThan(1e-9);
        // image-shaped latents keep their shape
        INDArray img0 = Nd4j.rand(DataType.DOUBLE, 2, 1, 3, 3), img1 = Nd4j.rand(DataType.DOUBLE, 2, 1, 3, 3);
        assertThat(LatentCodec.slerp(img0, img1, 0.3).shape()).containsExactly(2, 1, 3, 3);
        assertThat(LatentCodec.interpolate(img0.get(NDArrayIndex.point(0)), img1.get(NDArrayIndex.point(0)), 3).shape()).containsExactly(3, 3, 3);
        assertThat(Transforms.abs(LatentCodec.slerp(img0, img1, 0.3)).maxNumber().doubleValue()).isFinite();
    }
}
