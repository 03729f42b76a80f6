package org.sdex.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.random.Rng;

class ClassifierNetworkTest {
    private static final ClassifierArchitecture NOISY = new ClassifierArchitecture(new long[] {2, 8, 6}, 3, new int[] {8, 12}, 16, true);

    /** log softmax(logits(x_i))[y_i] of one row, in double. */
    private static double logProb(ClassifierNetwork net, INDArray row, double t, int label) {
        INDArray logits = net.logits(row, t).castTo(DataType.DOUBLE);
        double max = logits.maxNumber().doubleValue();
        double lse = max + Math.log(Transforms.exp(logits.sub(max)).sumNumber().doubleValue());
        return logits.getDouble(0, label) - lse;
    }

    @Test
    void logProbGradientIsTheCentralDifferenceOfTheLogSoftmaxPerRow() {
        ClassifierNetwork net = new ClassifierNetwork(NOISY, new VpSde(0.1, 20), DataType.DOUBLE, 3);
        INDArray x = new Rng(5).normal(DataType.DOUBLE, 3, 2, 8, 6);
        int[] labels = {2, 0, 1};
        double t = 0.3;
        INDArray grad = net.logProbGradient(x, t, labels);
        assertThat(grad.shape()).containsExactly(3, 2, 8, 6);
        double h = 1e-5;
        Rng pick = new Rng(7);
        double worst = 0;
        for (int k = 0; k < 12; k++) {
            int row = k % 3;
            int c = pick.nextInt(2);
            int i = pick.nextInt(8);
            int j = pick.nextInt(6);
            INDArray r = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(row, row + 1)).dup();
            double v = r.getDouble(0, c, i, j);
            r.putScalar(new long[] {0, c, i, j}, v + h);
            double up = logProb(net, r, t, labels[row]);
            r.putScalar(new long[] {0, c, i, j}, v - h);
            double down = logProb(net, r, t, labels[row]);
            double fd = (up - down) / (2 * h);
            double g = grad.getDouble(row, c, i, j);
            assertThat(Math.abs(fd)).as("a gradient too small to test").isGreaterThan(1e-6);
            worst = Math.max(worst, Math.abs(g - fd) / Math.abs(fd));
        }
        assertThat(worst).isLessThan(1e-6);
        // rows are independent: another row's label leaves row 0's gradient alone
        INDArray again = net.logProbGradient(x, t, new int[] {2, 1, 2});
        assertThat(again.slice(0)).isEqualTo(grad.slice(0));
        assertThat(again.slice(1)).isNotEqualTo(grad.slice(1));
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        ClassifierNetwork a = new ClassifierNetwork(NOISY, new VpSde(0.1, 20), DataType.FLOAT, 11);
        ClassifierNetwork b = new ClassifierNetwork(NOISY, new VpSde(0.1, 20), DataType.FLOAT, 11);
        ClassifierNetwork c = new ClassifierNetwork(NOISY, new VpSde(0.1, 20), DataType.FLOAT, 12);
        assertThat(a.weights()).isEqualTo(b.weights());
        assertThat(a.weights().get("stage0/conv/weight")).isNotEqualTo(c.weights().get("stage0/conv/weight"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 8, 6);
        assertThat(a.logits(x, 0.5)).isEqualTo(b.logits(x, 0.5));
    }
}
