package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.sample.Sampler;
import org.sdex.plugins.data.GaussianMixturePlugin;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.LabelledDraw;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.ModeWeights;
import org.sdex.toolkit.oracle.SlicedWasserstein;

/**
 * A class-conditional mlp trained on a Gaussian mixture whose labels are its components (the
 * {@code gmm} data set's labelled draws) learns each component's score and, through label dropout,
 * the mixture's: sampled with the kernel's plain Euler-Maruyama loop (unguided), each class gives
 * that component and the null label gives the whole mixture, measured against exact draws.
 */
class ClassConditionalTrainingTest {
    static { Fixtures.quietNd4j(); }

    static final Sde SDE = new VpSde(0.1, 20);
    /** Four components of std 0.4 on the corners of a square, unequal weights (the null label must weigh them). */
    static final Dataset DATA = gmm();
    static final GaussianMixture GM = new GaussianMixture(DATA.mixture().orElseThrow());
    static final int PROJECTIONS = 64;

    static Dataset gmm() {
        GaussianMixturePlugin p = new GaussianMixturePlugin();
        Map<String, Object> m = Map.of("means", List.of(List.of(2.5, 2.5), List.of(-2.5, 2.5), List.of(-2.5, -2.5), List.of(2.5, -2.5)),
                "weights", List.of(0.4, 0.3, 0.2, 0.1), "std", List.of(0.4));
        return p.open(Params.of(p, m), new DataContext(Path.of("."), DataType.FLOAT, "train"));
    }

    static ScoreNetwork network(long seed, List<Integer> hidden, DataType type) {
        return new ScoreNetwork(Fixtures.mlp(SDE, DATA, type, seed, hidden, "embeddingDim", 32, "classes", 4),
                DATA.shape(), type, true);
    }

    static double[] losses(Trainer trainer, TrainingState state, CheckpointStore store, int stopAfter) {
        return TrainerTest.run(trainer, state, store, stopAfter);
    }

    static INDArray sample(ScoreFunction score, int n, int seed) {
        SampleSettings s = new SampleSettings(300, n, 0, 1e-3, true, false, false, seed);
        return new Sampler(SDE, score, Fixtures.eulerMaruyama(), s).sample(new long[] {2}, DataType.FLOAT, null).samples().castTo(DataType.DOUBLE);
    }

    /** The score of class k for every row. */
    static ScoreFunction ofClass(ConditionalScore score, int k) {
        return (x, t) -> {
            int[] labels = new int[(int) x.size(0)];
            Arrays.fill(labels, k);
            return score.score(x, t, labels);
        };
    }

    /** Exact draws of component k alone. */
    static INDArray component(int k, int n, long seed) {
        GaussianMixture c = new GaussianMixture(new double[] {1}, new double[][] {GM.mean(k)}, new double[][][] {GM.covariance(k)});
        return c.sample(n, new Rng(seed), DataType.DOUBLE);
    }

    @Test
    void eachClassSamplesItsComponentAndTheNullLabelTheMixture() {
        ScoreNetwork net = network(1, List.of(128, 128), DataType.FLOAT);
        TrainSettings s = Fixtures.settings("steps", 1500, "batchSize", 256, "lr", 2e-3, "warmup", 50, "ema", 0.995,
                "labelDropout", 0.2, "seed", 5);
        Trainer trainer = new Trainer(net, SDE, DATA, s);
        TrainingState state = trainer.initialState();
        long start = System.nanoTime();
        losses(trainer, state, null, -1);
        double seconds = (System.nanoTime() - start) / 1e9;
        net.loadWeights(state.ema().weights());
        ConditionalScore score = (ConditionalScore) net.scoreFunction(SDE);
        assertThat(score.classes()).isEqualTo(4);

        int n = 800;
        double floor = SlicedWasserstein.distance(component(0, n, 70), component(0, n, 71), PROJECTIONS, 11);
        double worst = 0;
        double nearestWrong = Double.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            INDArray x = sample(ofClass(score, k), n, 20 + k);
            double right = SlicedWasserstein.distance(x, component(k, n, 30 + k), PROJECTIONS, 11);
            // negative control: the same samples against every other component
            for (int j = 0; j < 4; j++) {
                if (j != k) nearestWrong = Math.min(nearestWrong, SlicedWasserstein.distance(x, component(j, n, 40 + j), PROJECTIONS, 11));
            }
            double inOwnMode = ModeWeights.of(GM, x)[k];
            System.out.printf("class %d: SW %.4f (floor %.4f), %.3f in its own mode%n", k, right, floor, inOwnMode);
            worst = Math.max(worst, right);
            assertThat(inOwnMode).as("class %d in its own mode", k).isGreaterThan(0.98);
        }
        INDArray unconditional = sample(score, 2000, 50);
        double mixture = SlicedWasserstein.distance(unconditional, GM.sample(2000, new Rng(60), DataType.DOUBLE), PROJECTIONS, 11);
        double[] w = ModeWeights.of(GM, unconditional);
        System.out.printf("trained in %.1f s; worst class SW %.4f, nearest wrong component %.4f, floor %.4f; null label: SW %.4f,"
                + " mode weights %s%n", seconds, worst, nearestWrong, floor, mixture, Arrays.toString(w));
        assertThat(worst).isLessThan(CLASS_BOUND);
        assertThat(nearestWrong).isGreaterThan(CLASS_BOUND);
        assertThat(mixture).isLessThan(MIXTURE_BOUND);
        double[] truth = GM.weights();
        for (int k = 0; k < 4; k++) assertThat(w[k]).as("null label: weight of mode %d", k).isBetween(truth[k] - 0.05, truth[k] + 0.05);
    }

    /**
     * Measured: classes 0.023-0.035 against a floor of 0.024 (two exact sets of 800), the nearest
     * wrong component 3.0; the null label 0.106 against the mixture (it sees 20% of the batches).
     */
    static final double CLASS_BOUND = 0.08;
    static final double MIXTURE_BOUND = 0.2;

    @Test
    void labelsComeFromTheDrawAndAreDroppedAtTheirRate() {
        TrainSettings s = Fixtures.settings("batchSize", 500, "labelDropout", 0.3, "seed", 2);
        Trainer trainer = new Trainer(network(1, List.of(16), DataType.FLOAT), SDE, DATA, s);
        Rng rng = new Rng(12);
        int dropped = 0;
        int total = 0;
        for (int b = 0; b < 10; b++) {
            LabelledDraw draw = DATA.sampleLabelled(500, Rng.fromState(rng.state()));
            trainer.fillBatch(rng);
            int[] classes = trainer.lastClasses();
            for (int i = 0; i < 500; i++) {
                if (classes[i] == 4) dropped++;
                else assertThat(classes[i]).as("label of example %d", i).isEqualTo(draw.labels()[i]);
                total++;
            }
        }
        // binomial(5000, 0.3): s.d. 0.0065
        assertThat((double) dropped / total).isBetween(0.28, 0.32);
    }

    @Test
    void sameSeedSameLossCurveAndAResumedRunRepeatsIt(@TempDir Path tmp) {
        TrainSettings s = Fixtures.settings("steps", 30, "batchSize", 64, "lr", 1e-3, "checkpointEvery", 10, "seed", 8);
        ScoreNetwork straightNet = network(2, List.of(32, 32), DataType.FLOAT);
        double[] a = losses(new Trainer(straightNet, SDE, DATA, s), new Trainer(straightNet, SDE, DATA, s).initialState(), null, -1);
        double[] b = losses(new Trainer(network(2, List.of(32, 32), DataType.FLOAT), SDE, DATA, s),
                new Trainer(network(2, List.of(32, 32), DataType.FLOAT), SDE, DATA, s).initialState(), null, -1);
        assertThat(b).containsExactly(a);
        TrainSettings otherRate = Fixtures.settings("steps", 30, "batchSize", 64, "lr", 1e-3, "seed", 8, "labelDropout", 0.5);
        Trainer other = new Trainer(network(2, List.of(32, 32), DataType.FLOAT), SDE, DATA, otherRate);
        assertThat(losses(other, other.initialState(), null, -1)).isNotEqualTo(a);

        CheckpointStore store = new CheckpointStore(tmp, 3);
        Trainer first = new Trainer(network(2, List.of(32, 32), DataType.FLOAT), SDE, DATA, s);
        assertThatThrownBy(() -> losses(first, first.initialState(), store, 15)).hasMessageContaining("interrupted at 15");
        ScoreNetwork net = network(2, List.of(32, 32), DataType.FLOAT);
        Trainer second = new Trainer(net, SDE, DATA, s);
        TrainingState state = second.initialState();
        assertThat(store.restoreLatest(net, state)).contains(10);
        assertThat(net.weightNames()).contains("mlp/label_embedding");
        assertThat(losses(second, state, store, -1)).containsExactly(Arrays.copyOfRange(a, 10, 30));
    }

    @Test
    void theUnconditionalVjpIsTheDerivativeOfTheNullLabelsScore() {
        ScoreNetwork net = network(3, List.of(32, 32), DataType.DOUBLE);
        Trainer t = new Trainer(net, SDE, DATA, Fixtures.settings("steps", 20, "batchSize", 64, "lr", 1e-2, "seed", 1));
        losses(t, t.initialState(), null, -1); // away from the initial output layer of zeros
        DifferentiableScore score = net.scoreFunction(SDE);
        INDArray x = GM.sample(5, new Rng(3), DataType.DOUBLE);
        INDArray v = new Rng(4).normal(DataType.DOUBLE, 5, 2);
        double time = 0.3;
        INDArray vjp = score.vjp(x, time, v);
        double h = 1e-5;
        for (int j = 0; j < 2; j++) {
            INDArray plus = x.dup();
            INDArray minus = x.dup();
            plus.getColumn(j).addi(h);
            minus.getColumn(j).subi(h);
            INDArray diff = score.score(plus, time).sub(score.score(minus, time)).divi(2 * h);
            for (int i = 0; i < 5; i++) {
                double expected = diff.getRow(i).mul(v.getRow(i)).sumNumber().doubleValue();
                assertThat(vjp.getDouble(i, j)).as("row %d, coordinate %d", i, j)
                        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6 * (1 + Math.abs(expected))));
            }
        }
        // and the null label is not some class's score
        int[] zero = new int[5];
        assertThat(((ConditionalScore) score).score(x, time, zero)).isNotEqualTo(score.score(x, time));
    }

    @Test
    void labelsOutsideTheClassesAreRefused() {
        ConditionalScore score = (ConditionalScore) network(1, List.of(16), DataType.FLOAT).scoreFunction(SDE);
        INDArray x = GM.sample(2, new Rng(1), DataType.FLOAT);
        assertThatThrownBy(() -> score.score(x, 0.5, new int[] {0, 4})).hasMessage("class labels must be in [0, 4), got 4 (in [0, 4])");
        assertThatThrownBy(() -> score.score(x, 0.5, new int[] {1})).hasMessage("1 labels for 2 rows");
    }
}
