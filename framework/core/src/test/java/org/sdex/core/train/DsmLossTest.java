package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.config.TrainSettings;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * The training loss, end to end (draws, perturbation, graph), equals the reference's continuous
 * DSM loss computed directly in double precision from the same draws, for a network with known
 * weights; its gradient agrees with a finite difference of that direct computation.
 */
class DsmLossTest {
    static { Fixtures.quietNd4j(); }

    static final int D = 3;
    static final int B = 16;
    static final double[][] A = {{0.3, -0.2, 0.1}, {0.05, 0.4, -0.3}, {-0.25, 0.1, 0.2}};
    static final double[] C = {0.02, -0.01, 0.015};
    static final double[] BIAS = {0.1, -0.05, 0.0};
    static final GaussianMixture DATA = new GaussianMixture(new double[] {0.6, 0.4},
            new double[][] {{1, 0, -1}, {-1, 0.5, 0}}, new double[][][] {
                    {{0.3, 0, 0}, {0, 0.2, 0.05}, {0, 0.05, 0.1}}, {{0.2, 0, 0}, {0, 0.2, 0}, {0, 0, 0.2}}});

    /** eps_hat = tanh(x A + label c + b): small, nonlinear, with weights known to the test. */
    static NetworkModel tanhModel(double[][] a) {
        return (sd, x, label) -> {
            SDVariable w = sd.var("A", Nd4j.createFromArray(a));
            SDVariable c = sd.var("c", Nd4j.createFromArray(new double[][] {C}));
            SDVariable b = sd.var("b", Nd4j.createFromArray(BIAS));
            return sd.math.tanh(x.mmul(w).add(label.reshape(-1, 1).mmul(c)).add(b));
        };
    }

    static double[] predict(double[][] a, double[] x, double label) {
        double[] out = new double[D];
        for (int j = 0; j < D; j++) {
            double s = label * C[j] + BIAS[j];
            for (int i = 0; i < D; i++) s += x[i] * a[i][j];
            out[j] = Math.tanh(s);
        }
        return out;
    }

    /** The loss of the formula, replaying the trainer's draws (data, then t, then z) from {@code rng}. */
    static double directLoss(Sde sde, TrainSettings s, Rng rng, double[][] a) {
        double[][] x0 = DATA.sample(B, rng, DataType.DOUBLE).toDoubleMatrix();
        double[] t = new double[B];
        for (int i = 0; i < B; i++) t[i] = s.eps() + (sde.T() - s.eps()) * rng.nextDouble();
        double[] z = new double[B * D];
        rng.fillGaussian(z, 0, z.length);
        double total = 0;
        for (int i = 0; i < B; i++) {
            double alpha = sde.meanScale(t[i]), sigma = sde.marginalStd(t[i]);
            double[] xt = new double[D];
            for (int j = 0; j < D; j++) xt[j] = alpha * x0[i][j] + sigma * z[i * D + j];
            double[] eps = predict(a, xt, sde.noiseLabel().value(sde, t[i]));
            double sq = 0;
            for (int j = 0; j < D; j++) sq += (eps[j] - z[i * D + j]) * (eps[j] - z[i * D + j]);
            double lossB = s.reduceMean() ? sq / D : 0.5 * sq;
            if (s.likelihoodWeighting()) {
                double g = sde.diffusion(t[i]);
                lossB *= g * g / (sigma * sigma);
            }
            total += lossB;
        }
        return total / B;
    }

    static Stream<Arguments> cases() {
        return Stream.of(new VpSde(0.1, 20), new VeSde(0.01, 50)).flatMap(sde -> Stream.of(
                Arguments.of(sde, true, false), Arguments.of(sde, false, false),
                Arguments.of(sde, true, true), Arguments.of(sde, false, true)));
    }

    @ParameterizedTest(name = "{0} reduceMean={1} likelihoodWeighting={2}")
    @MethodSource("cases")
    void lossEqualsTheFormula(Sde sde, boolean reduceMean, boolean weighting) {
        TrainSettings s = Fixtures.settings("batchSize", B, "steps", 1, "reduceMean", reduceMean,
                "likelihoodWeighting", weighting, "seed", 11);
        Fixtures.MixtureData data = new Fixtures.MixtureData(DATA, DataType.DOUBLE);
        ScoreNetwork net = new ScoreNetwork(tanhModel(A), data.shape(), DataType.DOUBLE, reduceMean);
        Trainer trainer = new Trainer(net, sde, data, s);
        TrainingState state = trainer.initialState();
        Rng replay = Rng.fromState(state.rng().state());
        double[] loss = new double[1];
        trainer.train(state, null, (step, l, lr, norm) -> loss[0] = l);

        double want = directLoss(sde, s, replay, A);
        assertThat(loss[0]).isCloseTo(want, within(1e-12 * Math.max(1, Math.abs(want))));
        assertThat(state.rng().state()).isEqualTo(replay.state());
    }

    @Test
    void gradientAgreesWithAFiniteDifferenceOfTheFormula() {
        Sde sde = new VpSde(0.1, 20);
        TrainSettings s = Fixtures.settings("batchSize", B, "steps", 1, "likelihoodWeighting", true, "seed", 3);
        Fixtures.MixtureData data = new Fixtures.MixtureData(DATA, DataType.DOUBLE);
        ScoreNetwork net = new ScoreNetwork(tanhModel(A), data.shape(), DataType.DOUBLE, true);
        Trainer trainer = new Trainer(net, sde, data, s);
        // the batch arrays are refilled in place: each batch's loss must be its own
        for (long seed : new long[] {7, 8}) {
            Rng r = new Rng(seed);
            trainer.fillBatch(Rng.fromState(r.state()));
            INDArray[] b = trainer.lastBatch();
            assertThat(net.lossAndGradients(b[0], b[1], b[2], b[3]).loss()).as("batch %d", seed)
                    .isCloseTo(directLoss(sde, s, r, A), within(1e-12));
        }
        Rng rng = new Rng(42);
        trainer.fillBatch(Rng.fromState(rng.state()));
        INDArray[] b = trainer.lastBatch();
        ScoreNetwork.LossAndGradients lg = net.lossAndGradients(b[0], b[1], b[2], b[3]);
        assertThat(lg.loss()).isCloseTo(directLoss(sde, s, Rng.fromState(rng.state()), A), within(1e-12));
        assertThat(lg.gradients().keySet()).containsExactlyInAnyOrder("A", "c", "b");
        double h = 1e-6;
        for (int[] ij : new int[][] {{0, 0}, {1, 2}, {2, 1}}) {
            double[][] plus = copy(A), minus = copy(A);
            plus[ij[0]][ij[1]] += h;
            minus[ij[0]][ij[1]] -= h;
            double fd = (directLoss(sde, s, Rng.fromState(rng.state()), plus) - directLoss(sde, s, Rng.fromState(rng.state()), minus)) / (2 * h);
            assertThat(lg.gradients().get("A").getDouble(ij[0], ij[1])).as("dL/dA%s", java.util.Arrays.toString(ij))
                    .isCloseTo(fd, within(1e-7 * Math.max(1, Math.abs(fd))));
        }
    }

    @Test
    void scoreIsMinusPredictedNoiseOverSigmaAtTheSdesLabel() {
        for (Sde sde : new Sde[] {new VpSde(0.1, 20), new VeSde(0.01, 50)}) {
            ScoreNetwork net = new ScoreNetwork(tanhModel(A), new long[] {D}, DataType.DOUBLE, true);
            INDArray x = DATA.sample(5, new Rng(1), DataType.DOUBLE);
            double t = 0.37;
            INDArray score = net.scoreFunction(sde).score(x, t);
            double[][] xs = x.toDoubleMatrix();
            for (int i = 0; i < 5; i++) {
                double[] eps = predict(A, xs[i], sde.noiseLabel().value(sde, t));
                for (int j = 0; j < D; j++) {
                    assertThat(score.getDouble(i, j)).isCloseTo(-eps[j] / sde.marginalStd(t), within(1e-12));
                }
            }
            // float inputs come back as floats
            assertThat(net.scoreFunction(sde).score(x.castTo(DataType.FLOAT), t).dataType()).isEqualTo(DataType.FLOAT);
        }
    }

    @Test
    void weightsCanBeCopiedAndSwapped() {
        ScoreNetwork net = new ScoreNetwork(tanhModel(A), new long[] {D}, DataType.DOUBLE, true);
        assertThat(net.weightNames()).containsExactly("A", "b", "c");
        assertThat(net.parameterCount()).isEqualTo(9 + 3 + 3);
        Map<String, INDArray> saved = net.copyWeights();
        net.weights().get("A").addi(1.0);
        assertThat(net.weights().get("A").getDouble(0, 0)).isEqualTo(A[0][0] + 1.0);
        net.loadWeights(saved);
        assertThat(net.weights().get("A").getDouble(0, 0)).isEqualTo(A[0][0]);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
