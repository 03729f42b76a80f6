package org.sdex.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.models.ncsnpp.DdpmppPlugin;
import org.sdex.spi.Params;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;

/**
 * A network defined a second time by the kernel (as its training and input-VJP graphs are) computes
 * with the first graph's weight arrays themselves, whatever the model does with the initial values
 * it makes: mlp leaves them to the kernel, ddpmpp closes them itself.
 */
class SharedWeightsTest {
    static { Fixtures.quietNd4j(); }

    static final long[] IMAGE = {3, 16, 16};

    static NetworkModel ddpmpp() {
        DdpmppPlugin p = new DdpmppPlugin();
        Dataset images = new Dataset() {
            @Override public long[] shape() { return IMAGE.clone(); }

            @Override public INDArray sample(int n, Rng rng) { throw new UnsupportedOperationException(); }

            @Override public Optional<PixelRange> pixels() { return Optional.of(PixelRange.CENTERED); }
        };
        Map<String, Object> small = Map.of("nf", 16, "chMult", List.of(1, 2), "numResBlocks", 1, "attnResolutions", List.of(8));
        return (NetworkModel) p.create(Params.of(p, small), new ModelContext(TrainerTest.SDE, images, IMAGE, DataType.FLOAT, new Rng(7)));
    }

    static NetworkModel mlp() {
        return Fixtures.mlp(TrainerTest.SDE, TrainerTest.DATA, DataType.FLOAT, 4, List.of(32, 32), "embeddingDim", 16, "initScale", 1.0);
    }

    @Test
    void aSecondBuildComputesWithTheFirstGraphsOwnArrays() {
        for (Map.Entry<NetworkModel, long[]> e : Map.of(mlp(), TrainerTest.DATA.shape(), ddpmpp(), IMAGE).entrySet()) {
            NetworkModel model = e.getKey();
            long[] shape = e.getValue();
            ScoreNetwork net = new ScoreNetwork(model, shape, DataType.FLOAT, true);
            net.weights().values().forEach(w -> w.muli(0.5)); // not the values a fresh build would make
            SameDiff g = SameDiff.create();
            SharedWeights shared = SharedWeights.install(g, net.weights());
            SDVariable x = g.placeHolder("x", DataType.FLOAT, net.batchShape(-1));
            SDVariable label = g.placeHolder("label", DataType.FLOAT, -1);
            SDVariable out = model.define(g, x, label);
            shared.finish(g, null);

            for (String w : net.weightNames()) assertThat(g.getVariable(w).getArr()).as(w).isSameAs(net.weights().get(w));
            Rng rng = new Rng(2);
            INDArray xs = rng.normal(DataType.FLOAT, net.batchShape(3)), labels = rng.uniform(DataType.FLOAT, 3).muli(999);
            INDArray second = g.output(Map.of("x", xs, "label", labels), out.name()).get(out.name());
            INDArray first = net.predictNoise(xs, labels);
            // the network's own passes run swish through another kernel: equal to float rounding
            assertThat(second.sub(first).norm2Number().doubleValue() / first.norm2Number().doubleValue())
                    .as(model.getClass().getSimpleName()).isLessThan(1e-5);
        }
    }

    @Test
    void aSecondBuildWithOtherWeightsIsRefused() {
        NetworkModel model = mlp();
        ScoreNetwork net = new ScoreNetwork(model, TrainerTest.DATA.shape(), DataType.FLOAT, true);
        String first = net.weightNames().get(0);

        Map<String, INDArray> reshaped = new LinkedHashMap<>(net.weights());
        reshaped.put(first, Nd4j.zeros(DataType.FLOAT, 1, 1));
        SameDiff g = SameDiff.create();
        SharedWeights.install(g, reshaped);
        assertThatThrownBy(() -> model.define(g, g.placeHolder("x", DataType.FLOAT, -1, 2), g.placeHolder("label", DataType.FLOAT, -1)))
                .hasMessageContaining("weight '" + first + "' has a different shape on a second build");

        Map<String, INDArray> more = new LinkedHashMap<>(net.weights());
        more.put("zzz/extra", Nd4j.zeros(DataType.FLOAT, 1));
        SameDiff h = SameDiff.create();
        SharedWeights shared = SharedWeights.install(h, more);
        model.define(h, h.placeHolder("x", DataType.FLOAT, -1, 2), h.placeHolder("label", DataType.FLOAT, -1));
        assertThatThrownBy(() -> shared.finish(h, null)).hasMessageContaining("the network defined different weights on a second build");
    }
}
