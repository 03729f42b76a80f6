package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.interop.NetworkWeights;
import org.sdex.core.interop.ReferenceWeights;
import org.sdex.plugins.data.image.FashionPlugin;
import org.sdex.plugins.models.ncsnpp.DdpmppPlugin;
import org.sdex.plugins.models.ncsnpp.NcsnppPlugin;
import org.sdex.plugins.sde.VeSde;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.testing.TestData;

/**
 * The U-Nets with {@code classes: 10} on the Fashion-MNIST fixtures: they build, train a step on
 * labelled batches (through the dropout training graph) and the labels reach the embedding: exactly
 * the rows of the classes in the batch (and of the null label, where labels were dropped) change;
 * the embedding is exported and read back like any weight.
 */
class ClassConditionalImageNetworksTest {
    static { Fixtures.quietNd4j(); }

    static final Sde SDE = new VeSde(0.01, 50);

    @ParameterizedTest
    @ValueSource(strings = {"ddpmpp", "ncsnpp"})
    void aTrainingStepUpdatesTheEmbeddingRowsOfTheBatchsClasses(String name, @TempDir Path tmp) throws Exception {
        FashionPlugin fashion = new FashionPlugin();
        Dataset data = fashion.open(Params.of(fashion, Map.of("limit", 64)), new DataContext(TestData.require(
                "fashion-train-images-idx3-ubyte.gz"), DataType.FLOAT, "train"));
        assertThat(data.classes()).isEqualTo(10);
        ModelPlugin plugin = name.equals("ddpmpp") ? new DdpmppPlugin() : new NcsnppPlugin();
        Map<String, Object> p = new HashMap<>(Map.of("classes", 10, "nf", 8, "chMult", List.of(1, 2), "numResBlocks", 1,
                "attnResolutions", List.of(14), "dropout", 0.1, "initScale", 1.0));
        NetworkModel model = (NetworkModel) plugin.create(Params.of(plugin, p),
                new ModelContext(SDE, data, data.shape(), DataType.FLOAT, new Rng(3)));
        assertThat(model.trainsDifferently()).isTrue();
        ScoreNetwork net = new ScoreNetwork(model, data.shape(), DataType.FLOAT, true);
        assertThat(net.weightNames()).contains("label_embedding.weight");
        INDArray before = net.weights().get("label_embedding.weight").dup();
        assertThat(before.shape()).containsExactly(11, 32);

        Trainer trainer = new Trainer(net, SDE, data, Fixtures.settings("steps", 1, "batchSize", 4, "labelDropout", 0.3, "seed", 6));
        TrainingState state = trainer.initialState();
        // the batch of step 1, drawn from a copy of the generator (initScale 1: gradients large enough to move every row they reach)
        Trainer probe = new Trainer(net, SDE, data, Fixtures.settings("batchSize", 4, "labelDropout", 0.3, "seed", 6));
        probe.fillBatch(Rng.fromState(state.rng().state()));
        Set<Integer> inBatch = new HashSet<>();
        for (int c : probe.lastClasses()) inBatch.add(c);

        double[] loss = new double[1];
        trainer.train(state, null, (step, l, lr, norm) -> loss[0] = l);
        assertThat(loss[0]).isFinite().isPositive();
        INDArray after = net.weights().get("label_embedding.weight");
        for (int row = 0; row <= 10; row++) {
            boolean changed = !after.getRow(row).equals(before.getRow(row));
            assertThat(changed).as("%s: row %d changed (classes in the batch: %s)", name, row, inBatch).isEqualTo(inBatch.contains(row));
        }
        // the class changes the prediction
        INDArray x = data.sample(2, new Rng(1));
        INDArray sigma = org.nd4j.linalg.factory.Nd4j.createFromArray(1f, 1f);
        INDArray a = net.predictNoise(x, sigma, org.nd4j.linalg.factory.Nd4j.createFromArray(0, 0));
        INDArray b = net.predictNoise(x, sigma, org.nd4j.linalg.factory.Nd4j.createFromArray(5, 5));
        assertThat(a).isNotEqualTo(b);

        // exported by its own name (the reference has no such weight) and read back
        assertThat(NetworkWeights.export(net).get("label_embedding.weight").shape()).containsExactly(11, 32);
        Path file = tmp.resolve("w.safetensors");
        NetworkWeights.save(net, file);
        ScoreNetwork copy = new ScoreNetwork((NetworkModel) plugin.create(Params.of(plugin, p),
                new ModelContext(SDE, data, data.shape(), DataType.FLOAT, new Rng(4))), data.shape(), DataType.FLOAT, true);
        assertThat(copy.weights().get("label_embedding.weight")).isNotEqualTo(after);
        NetworkWeights.load(copy, file, ReferenceWeights.Choice.MODEL);
        for (String w : net.weightNames()) assertThat(copy.weights().get(w)).as(w).isEqualTo(net.weights().get(w));
    }
}
