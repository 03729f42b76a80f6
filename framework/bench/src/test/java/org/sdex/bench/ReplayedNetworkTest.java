package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.plugin.PluginLoader;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.spi.random.Rng;

/**
 * Replayed passes of a U-Net (convolutions, GroupNorm, attention, resampling) give SameDiff's results:
 * a fresh network's first pass goes through SameDiff and is the reference for a warm network's
 * replays. Forward and training passes are replayed op for op (equal bits); the input-VJP replay
 * computes the convolutions' input gradients as transposed convolutions (no weight gradients), so
 * it agrees to float32 rounding.
 */
class ReplayedNetworkTest {
    @Test
    void warmUNetPassesEqualSameDiffs() throws Exception {
        try (NetworkBenchmark bench = new NetworkBenchmark(PluginLoader.load(List.of()), "python3", NetworkBenchmark.Plan.CHECKS_ONLY, line -> {})) {
            NetworkBenchmark.Config c = TorchEquivalenceTest.small("biggan", "biggan", 16);
            ScoreNetwork warm = bench.network(c, 1.0);
            Rng rng = new Rng(3);
            long[] shape = {4, 3, 16, 16};
            java.io.PrintStream stdout = System.out;
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            System.setOut(new java.io.PrintStream(printed, true));
            try {
                for (int i = 0; i < 2; i++) { // record the plans, then the replays, on other inputs
                    INDArray x = rng.normal(DataType.FLOAT, shape), labels = rng.uniform(DataType.FLOAT, 4).muli(999);
                    warm.predictNoise(x, labels);
                    warm.lossAndGradients(x, labels, rng.normal(DataType.FLOAT, shape), rng.uniform(DataType.FLOAT, 4));
                    warm.inputVjp(x, labels, rng.normal(DataType.FLOAT, shape));
                }
            } finally {
                System.setOut(stdout);
            }
            assertThat(printed.toString()).as("SameDiff's line per differentiated op is kept off standard output")
                    .doesNotContain("Added differentiated op");
            INDArray x = rng.normal(DataType.FLOAT, shape), labels = rng.uniform(DataType.FLOAT, 4).muli(999);
            INDArray z = rng.normal(DataType.FLOAT, shape), w = rng.uniform(DataType.FLOAT, 4), v = rng.normal(DataType.FLOAT, shape);
            ScoreNetwork fresh = bench.network(c, 1.0);

            assertThat(warm.predictNoise(x, labels)).isEqualTo(fresh.predictNoise(x, labels));
            ScoreNetwork.LossAndGradients a = warm.lossAndGradients(x, labels, z, w), b = fresh.lossAndGradients(x, labels, z, w);
            assertThat(a.loss()).isEqualTo(b.loss());
            b.gradients().forEach((k, g) -> assertThat(a.gradients().get(k)).as(k).isEqualTo(g));
            INDArray replayed = warm.inputVjp(x, labels, v), reference = fresh.inputVjp(x, labels, v);
            double rel = replayed.sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue();
            assertThat(rel).as("relative difference of the input VJPs").isLessThan(1e-5).isGreaterThanOrEqualTo(0);
        }
    }
}
