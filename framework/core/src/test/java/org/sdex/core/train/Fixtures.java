package org.sdex.core.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.TrainSettings;
import org.sdex.plugins.models.mlp.MlpPlugin;
import org.sdex.spi.Params;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.slf4j.LoggerFactory;

/** Shared test pieces: a mixture dataset, settings with overrides, an mlp network. */
public final class Fixtures {
    private Fixtures() {}

    /**
     * Without a logback-test.xml, logback logs everything at DEBUG, and SameDiff logs per op (its
     * array cache), which makes a training step several times slower. Quiet ND4J for these tests.
     */
    public static void quietNd4j() {
        for (String name : new String[] {"org.nd4j", "org.bytedeco"}) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Draws from a Gaussian mixture in the given dtype. */
    public record MixtureData(GaussianMixture gmm, DataType type) implements Dataset {
        @Override public long[] shape() { return new long[] {gmm.dim()}; }

        @Override public INDArray sample(int n, Rng rng) { return gmm.sample(n, rng, type); }

        @Override public java.util.Optional<org.sdex.spi.data.MixtureParameters> mixture() { return java.util.Optional.of(gmm.parameters()); }
    }

    public static final GaussianMixture GAUSSIAN_2D = new GaussianMixture(new double[] {1},
            new double[][] {{1.0, -0.5}}, new double[][][] {{{0.25, 0.1}, {0.1, 0.16}}});

    /** Train settings: defaults with the given overrides ("key", value, ...). */
    public static TrainSettings settings(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return TrainSettings.from(Params.of("train", org.sdex.core.vocabulary.Vocabulary.TRAIN.settings(), m));
    }

    /** The plain Euler-Maruyama loop of the PC sampler (no corrector). */
    public static org.sdex.core.sample.SamplingMethod eulerMaruyama() {
        var em = new org.sdex.plugins.samplers.predictor.EulerMaruyamaPlugin();
        var none = new org.sdex.plugins.samplers.corrector.NoneCorrectorPlugin();
        return new org.sdex.core.sample.SamplingMethod.PredictorCorrector(
                new org.sdex.core.plugin.Resolved<>(em, Params.of(em, Map.of())),
                new org.sdex.core.plugin.Resolved<>(none, Params.of(none, Map.of())));
    }

    public static NetworkModel mlp(Sde sde, Dataset data, DataType type, long seed, List<Integer> hidden, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("hidden", hidden);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        MlpPlugin p = new MlpPlugin();
        return (NetworkModel) p.create(Params.of(p, m), new ModelContext(sde, data, data.shape(), type, new Rng(seed)));
    }
}
