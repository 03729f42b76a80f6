package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference's EMA with num_updates: decay min(decay, (1 + n) / (10 + n)) at the n-th update. */
class EmaTest {
    @Test
    void effectiveDecayWarmsUp() {
        assertThat(Ema.effectiveDecay(0.9999, 1)).isCloseTo(2.0 / 11, within(1e-15));
        assertThat(Ema.effectiveDecay(0.9999, 2)).isCloseTo(3.0 / 12, within(1e-15));
        assertThat(Ema.effectiveDecay(0.9999, 1000)).isCloseTo(1001.0 / 1010, within(1e-15));
        assertThat(Ema.effectiveDecay(0.999, 100_000)).isEqualTo(0.999);
        assertThat(Ema.effectiveDecay(0.5, 30)).isEqualTo(0.5);
    }

    @Test
    void updatesFollowTheFormula() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0);
        Ema ema = new Ema(0.9999, Map.of("w", w));
        double[] shadow = {1.0, -2.0};
        double[][] next = {{3.0, 0.0}, {-1.0, 5.0}, {0.5, 0.5}};
        for (int n = 1; n <= next.length; n++) {
            w.assign(Nd4j.createFromArray(next[n - 1]));
            ema.update(Map.of("w", w));
            double d = Math.min(0.9999, (1.0 + n) / (10.0 + n));
            for (int i = 0; i < 2; i++) shadow[i] -= (1 - d) * (shadow[i] - next[n - 1][i]);
            assertThat(ema.weights().get("w").toDoubleVector()).containsExactly(shadow, within(1e-14));
        }
        assertThat(ema.updates()).isEqualTo(3);
        // the shadow is a copy, not the live weights
        assertThat(ema.weights().get("w")).isNotSameAs(w);
    }
}
