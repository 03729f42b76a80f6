package org.sdex.core.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir Path dir;

    @Test
    void tickLabelsShowValuesWithThreeSignificantDigits() {
        assertThat(Plots.value(0.1)).isEqualTo("0.1");
        assertThat(Plots.value(Math.pow(10, -0.4))).isEqualTo("0.398");
        assertThat(Plots.value(0.0631)).isEqualTo("0.0631");
        assertThat(Plots.value(1234.5)).isEqualTo("1230");
        assertThat(Plots.value(0)).isEqualTo("0");
        assertThat(Plots.value(2.5e-5)).isEqualTo("2.50e-05");
    }

    @Test
    void aLossCurveWithinOneDecadeIsDrawn() throws Exception {
        // the case whose log axis used to carry no value at all
        double[] steps = new double[50];
        double[] loss = new double[50];
        for (int i = 0; i < 50; i++) {
            steps[i] = 20 * (i + 1);
            loss[i] = 0.09 + 0.5 * Math.exp(-i / 5.0);
        }
        Path file = dir.resolve("loss.png");
        Plots.loss("run-1", steps, loss, file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
    }

    @Test
    void linesOverDecadesAreDrawn() throws Exception {
        Path file = dir.resolve("lines.png");
        Plots.lines("swept", "sample.steps", "slicedWasserstein", java.util.Map.of(
                "a", new double[][] {{5, 50, 500}, {1.8, 0.17, 0.025}},
                "b", new double[][] {{5, 50, 500}, {0.33, 0.14, 0.036}}), file);
        assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(800);
    }
}
