package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.sde.Sde;

/**
 * Runs without labels compute what they computed before class-conditional networks existed: the
 * noise prediction of a fresh mlp and the first losses of its training, in double precision,
 * against values recorded on the kernel before labels were added (to 1e-12: the sums of a
 * multi-threaded matrix product may round differently, a changed graph or random stream does not
 * come near).
 */
class UnlabelledRunsUnchangedTest {
    static { Fixtures.quietNd4j(); }

    static final Sde SDE = new VpSde(0.1, 20);
    static final Fixtures.MixtureData DATA = new Fixtures.MixtureData(Fixtures.GAUSSIAN_2D, DataType.DOUBLE);

    /** Recorded on 3c0e15d, the kernel before class labels. */
    static final double[] RECORDED_EPS = {-0x1.01c0d3902f0b2p-4, 0x1.37583ccdd717cp-5, -0x1.9a1210ee9251fp-2,
        0x1.0fd3bfe4f7614p-4, -0x1.7a665be5328fep-4, 0x1.08da602f2fba3p-7};
    static final double[] RECORDED_LOSSES = {0x1.e2e15ab07f087p-1, 0x1.82c767e7035f4p-1, 0x1.616c8a6af38c1p-1,
        0x1.70eb85833cb1ep-1, 0x1.521edbd547d72p-1};

    static void assertClose(double[] actual, double[] recorded) {
        assertThat(actual).hasSameSizeAs(recorded);
        for (int i = 0; i < recorded.length; i++) assertThat(actual[i]).isCloseTo(recorded[i], within(1e-12 * Math.abs(recorded[i])));
    }

    static ScoreNetwork network() {
        return new ScoreNetwork(Fixtures.mlp(SDE, DATA, DataType.DOUBLE, 3, List.of(32, 32), "embeddingDim", 16, "initScale", 1.0),
                DATA.shape(), DataType.DOUBLE, true);
    }

    @Test
    void noisePredictionAndLossCurveAreAsBefore() {
        ScoreNetwork net = network();
        INDArray x = Nd4j.create(new double[] {0.3, -1.2, 2.0, 0.5, -0.7, 0.1}, new long[] {3, 2}, DataType.DOUBLE);
        INDArray labels = Nd4j.create(new double[] {10, 500, 990}, new long[] {3}, DataType.DOUBLE);
        double[] eps = net.predictNoise(x, labels).reshape('c', new long[] {6}).toDoubleVector();
        List<Double> losses = new ArrayList<>();
        Trainer trainer = new Trainer(net, SDE, DATA, Fixtures.settings("steps", 5, "batchSize", 16, "lr", 1e-2, "seed", 4));
        trainer.train(trainer.initialState(), null, (step, loss, lr, norm) -> losses.add(loss));
        assertClose(eps, RECORDED_EPS);
        assertClose(losses.stream().mapToDouble(d -> d).toArray(), RECORDED_LOSSES);
    }
}
