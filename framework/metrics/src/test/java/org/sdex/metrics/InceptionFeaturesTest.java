package org.sdex.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.interop.WeightFileException;
import org.sdex.core.run.Npy;
import org.sdex.spi.random.Rng;
import org.sdex.testing.PythonTorch;

/**
 * sdex's FID Inception gives PyTorch's features (an implementation of the same blocks in the test's
 * script) on random weights saved by torch in the layout of the FID weights file, for grayscale
 * 28x28 and RGB 32x32 images; a missing or foreign file says where the weights come from.
 */
class InceptionFeaturesTest {
    @TempDir Path dir;

    @Test
    void featuresEqualPyTorchsOnTheSameWeights() throws Exception {
        PythonTorch.assume("torch");
        for (long[] shape : new long[][] {{2, 1, 28, 28}, {2, 3, 32, 32}}) {
            INDArray images = new Rng(shape[1]).uniform(DataType.FLOAT, shape);
            Npy.write(images, dir.resolve("x.npy"));
            PythonTorch.run(dir, "fid_inception.py", "w.pth", "x.npy", "f.npy");
            try (InceptionFeatures net = InceptionFeatures.load(dir.resolve("w.pth"))) {
                INDArray mine = net.features(images, 1).castTo(DataType.DOUBLE);
                INDArray theirs = Npy.read(dir.resolve("f.npy")).castTo(DataType.DOUBLE);
                assertThat(mine.shape()).containsExactly(2, InceptionFeatures.FEATURES);
                double scale = theirs.amaxNumber().doubleValue();
                assertThat(scale).isGreaterThan(0);
                assertThat(mine.sub(theirs).amaxNumber().doubleValue() / scale).as("relative difference").isLessThan(1e-4);
            }
        }
    }

    @Test
    void resizeKeepsConstantsAndMatchesHalfPixelBilinear() {
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 1, 28, 28).muli(0.25);
        INDArray r = InceptionFeatures.resize(ones);
        assertThat(r.shape()).containsExactly(1, 1, 299, 299);
        assertThat(r.minNumber().doubleValue()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.maxNumber().doubleValue()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-6));
        // two input pixels [0, 1] to 299: output o samples at (o + 0.5) * 2 / 299 - 0.5, clamped
        INDArray m = InceptionFeatures.interpolation(2);
        assertThat(m.getDouble(0, 0)).isEqualTo(1.0);
        double src = 150.5 * 2 / 299 - 0.5;
        assertThat(m.getDouble(150, 1)).isCloseTo(src, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aMissingOrForeignWeightsFileSaysWhereTheWeightsComeFrom() throws Exception {
        assertThatThrownBy(() -> InceptionFeatures.load(dir.resolve("none.pth"))).isInstanceOf(WeightFileException.class)
                .hasMessageContaining("none.pth: no such file; FID needs the Inception weights pt_inception-2015-12-05-6726825d.pth");
        Path other = dir.resolve("other.safetensors");
        org.sdex.core.interop.TorchFile.write(dir.resolve("other.pth"),
                java.util.Map.of("w", org.sdex.core.interop.HostTensor.ofFloats(new float[] {1}, 1)));
        assertThatThrownBy(() -> InceptionFeatures.load(dir.resolve("other.pth")))
                .hasMessageStartingWith("other.pth: has no tensor 'Conv2d_1a_3x3.conv.weight'");
        assertThat(other).doesNotExist();
    }
}
