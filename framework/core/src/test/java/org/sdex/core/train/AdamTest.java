package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.random.Rng;

/** Adam against PyTorch's update written out by hand; warm-up and clipping arithmetic. */
class AdamTest {
    static final double[] W0 = {0.5, -1.0, 2.0, 0.0};
    static final double[][] GRADS = {{0.1, -0.2, 0.3, 1e-9}, {0.05, 0.4, -0.1, -2.0}};

    /** torch.optim.Adam for one parameter vector: returns the weights after each step. */
    static double[][] byHand(double lr, double b1, double b2, double eps, double wd) {
        double[] w = W0.clone(), m = new double[w.length], v = new double[w.length];
        double[][] out = new double[GRADS.length][];
        for (int k = 1; k <= GRADS.length; k++) {
            for (int i = 0; i < w.length; i++) {
                double g = GRADS[k - 1][i] + wd * w[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, k)) + eps;
                w[i] -= lr / (1 - Math.pow(b1, k)) * m[i] / denom;
            }
            out[k - 1] = w.clone();
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"0.01, 0.9, 0.999, 1e-8, 0", "0.01, 0.9, 0.999, 1e-8, 0.1", "0.003, 0.5, 0.9, 0.01, 0.02"})
    void oneAndTwoStepsMatchTheHandComputation(double lr, double b1, double b2, double eps, double wd) {
        double[][] want = byHand(lr, b1, b2, eps, wd);
        for (boolean fused : new boolean[] {true, false}) {
            INDArray w = Nd4j.createFromArray(W0.clone());
            Map<String, INDArray> weights = Map.of("w", w);
            Adam adam = new Adam(b1, b2, eps, wd, weights);
            for (int k = 0; k < GRADS.length; k++) {
                Map<String, INDArray> g = Map.of("w", Nd4j.createFromArray(GRADS[k].clone()));
                if (fused) adam.step(weights, g, lr); else adam.referenceStep(weights, g, lr);
                assertThat(w.toDoubleVector()).as("fused %s, step %d", fused, k + 1).containsExactly(want[k], within(1e-12));
            }
            assertThat(adam.steps()).isEqualTo(2);
        }
    }

    @Test
    void fusedUpdateEqualsTheElementwiseDefinitionOnFloatTensors() {
        Rng rng = new Rng(5);
        Map<String, INDArray> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        a.put("w1", rng.normal(DataType.FLOAT, 30, 20));
        a.put("w2", rng.normal(DataType.FLOAT, 20));
        a.forEach((k, v) -> b.put(k, v.dup()));
        Adam fused = new Adam(0.9, 0.999, 1e-8, 0.01, a), ref = new Adam(0.9, 0.999, 1e-8, 0.01, b);
        for (int k = 1; k <= 50; k++) {
            Map<String, INDArray> ga = new LinkedHashMap<>(), gb = new LinkedHashMap<>();
            for (String n : a.keySet()) {
                INDArray g = rng.normal(DataType.FLOAT, a.get(n).shape()).muli(k % 7 == 0 ? 1e-6 : 1);
                ga.put(n, g);
                gb.put(n, g.dup());
            }
            fused.step(a, ga, 1e-3);
            ref.referenceStep(b, gb, 1e-3);
        }
        for (String n : a.keySet()) {
            double diff = a.get(n).sub(b.get(n)).amaxNumber().doubleValue();
            assertThat(diff).as(n).isLessThan(2e-6);
            assertThat(fused.firstMoments().get(n).sub(ref.firstMoments().get(n)).amaxNumber().doubleValue()).isLessThan(1e-6);
        }
    }

    @Test
    void zeroLearningRateMovesTheMomentsButNotTheWeights() {
        INDArray w = Nd4j.createFromArray(W0.clone());
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0, Map.of("w", w));
        adam.step(Map.of("w", w), Map.of("w", Nd4j.createFromArray(GRADS[0].clone())), 0.0);
        assertThat(w.toDoubleVector()).containsExactly(W0);
        assertThat(adam.firstMoments().get("w").getDouble(0)).isCloseTo(0.1 * 0.1, within(1e-15));
    }

    @Test
    void warmupIsLinearInTheOneBasedStepThenConstant() {
        assertThat(Adam.learningRate(2e-4, 0, 1)).isEqualTo(2e-4);
        assertThat(Adam.learningRate(2e-4, 100, 1)).isCloseTo(2e-6, within(1e-18));
        assertThat(Adam.learningRate(2e-4, 100, 50)).isCloseTo(1e-4, within(1e-18));
        assertThat(Adam.learningRate(2e-4, 100, 100)).isEqualTo(2e-4);
        assertThat(Adam.learningRate(2e-4, 100, 5000)).isEqualTo(2e-4);
        // cosine decay after the warm-up: full rate at its end, half way down at the middle, 0 at the last step
        assertThat(Adam.learningRate(2e-4, 100, 50, "cosine", 1100)).isCloseTo(1e-4, within(1e-18));
        assertThat(Adam.learningRate(2e-4, 100, 100, "cosine", 1100)).isEqualTo(2e-4);
        assertThat(Adam.learningRate(2e-4, 100, 600, "cosine", 1100)).isCloseTo(1e-4, within(1e-15));
        assertThat(Adam.learningRate(2e-4, 100, 1100, "cosine", 1100)).isCloseTo(0, within(1e-15));
        assertThat(Adam.learningRate(2e-4, 100, 600, "none", 1100)).isEqualTo(2e-4);
    }

    @Test
    void clippingScalesToTheMaximumGlobalNormAndReportsTheNormBefore() {
        // global norm of (3, 4) and (12) is 13
        Map<String, INDArray> g = Map.of("a", Nd4j.createFromArray(3.0, 4.0), "b", Nd4j.createFromArray(12.0));
        assertThat(Adam.clipGlobalNorm(g, 1.0)).isCloseTo(13.0, within(1e-12));
        double c = 1.0 / (13.0 + 1e-6);
        assertThat(g.get("a").toDoubleVector()).containsExactly(new double[] {3 * c, 4 * c}, within(1e-15));
        assertThat(g.get("b").getDouble(0)).isCloseTo(12 * c, within(1e-15));

        Map<String, INDArray> small = Map.of("a", Nd4j.createFromArray(0.3, 0.4));
        assertThat(Adam.clipGlobalNorm(small, 1.0)).isCloseTo(0.5, within(1e-12));
        assertThat(small.get("a").toDoubleVector()).containsExactly(0.3, 0.4);

        Map<String, INDArray> off = Map.of("a", Nd4j.createFromArray(30.0, 40.0));
        assertThat(Adam.clipGlobalNorm(off, 0)).isCloseTo(50.0, within(1e-12));
        assertThat(off.get("a").toDoubleVector()).containsExactly(30.0, 40.0);
    }
}
