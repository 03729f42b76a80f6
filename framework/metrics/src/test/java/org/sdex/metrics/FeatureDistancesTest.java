package org.sdex.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.run.Npy;
import org.sdex.spi.random.Rng;
import org.sdex.testing.PythonTorch;

/**
 * FID and KID against closed forms (Gaussians with known moments) and against scipy/numpy on the
 * same features: the Fréchet distance to 1e-6 relative, the unbiased MMD to 1e-9 relative.
 */
class FeatureDistancesTest {
    @TempDir Path dir;

    /** rows ~ N(shift, diag(scale^2)) in d dimensions, correlated through a fixed rotation so S1 S2 is not diagonal. */
    static INDArray features(long seed, int n, int d, double shift, double scale) {
        INDArray z = new Rng(seed).normal(DataType.DOUBLE, n, d).muli(scale).addi(shift);
        INDArray q = new Rng(99).normal(DataType.DOUBLE, d, d);
        return z.mmul(q).divi(Math.sqrt(d));
    }

    @Test
    void frechetDistanceOfGaussiansWithKnownMomentsIsTheClosedForm() {
        // N(0, I) against N(m, s^2 I) in d dims: d m^2 + d (1 - s)^2; estimated from samples, so loosely
        int d = 8;
        INDArray a = new Rng(1).normal(DataType.DOUBLE, 40_000, d);
        INDArray b = new Rng(2).normal(DataType.DOUBLE, 40_000, d).muli(2).addi(0.5);
        double expected = d * 0.25 + d * 1.0;
        assertThat(FrechetDistance.between(a, b)).isCloseTo(expected, within(0.05 * expected));
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0, within(1e-9));
    }

    @Test
    void frechetDistanceAndMmdEqualScipysOnTheSameFeatures() throws Exception {
        PythonTorch.assume("scipy", "numpy");
        INDArray a = features(3, 300, 64, 0.0, 1.0);
        INDArray b = features(4, 250, 64, 0.3, 1.4);
        Npy.write(a, dir.resolve("a.npy"));
        Npy.write(b, dir.resolve("b.npy"));
        Path script = dir.resolve("distances.py");
        try (InputStream in = FeatureDistancesTest.class.getResourceAsStream("distances.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "a.npy", "b.npy", "out.json")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("out.json").toFile());
        double fid = FrechetDistance.between(a, b);
        assertThat(Math.abs(fid - ref.get("fid").asDouble()) / ref.get("fid").asDouble()).as("FID %s vs scipy %s", fid, ref.get("fid")).isLessThan(1e-6);
        double mmd = KernelInceptionDistance.unbiasedMmd2(a, b);
        assertThat(Math.abs(mmd - ref.get("mmd2").asDouble()) / Math.abs(ref.get("mmd2").asDouble())).isLessThan(1e-9);
    }

    @Test
    void kernelDistanceIsUnbiasedNearZeroForOneDistributionAndPositiveForTwo() {
        INDArray a = features(5, 2000, 16, 0, 1);
        INDArray same = features(6, 2000, 16, 0, 1);
        INDArray other = features(7, 2000, 16, 0.2, 1);
        KernelInceptionDistance.Result none = KernelInceptionDistance.between(a, same, 20, 500, new Rng(1));
        KernelInceptionDistance.Result some = KernelInceptionDistance.between(a, other, 20, 500, new Rng(1));
        // unbiased: the same distribution scores 0 within a few standard errors (a biased estimator sits well above)
        assertThat(Math.abs(none.mean())).isLessThan(4 * none.standardError() + 1e-12);
        assertThat(some.mean()).isGreaterThan(10 * some.standardError());
        assertThat(some.subsetSize()).isEqualTo(500);
        // seeded: the same rng gives the same subsets
        assertThat(KernelInceptionDistance.between(a, other, 20, 500, new Rng(1))).isEqualTo(some);
    }
}
