package org.sdex.plugins.models.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/** The mlp plugin's graph: shapes, determinism, embedding choice, initial output, parameter checks. */
class MlpPluginTest {
    static final MlpPlugin PLUGIN = new MlpPlugin();

    record Shaped(long[] shape) implements Dataset {
        @Override public INDArray sample(int n, Rng rng) { throw new UnsupportedOperationException(); }
    }

    static Mlp create(Sde sde, long[] shape, long seed, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return (Mlp) PLUGIN.create(Params.of(PLUGIN, m), new ModelContext(sde, new Shaped(shape), shape, DataType.FLOAT, new Rng(seed)));
    }

    /** Builds the graph for a batch of b and returns [output, weight count]. */
    static Object[] run(NetworkModel model, long[] shape, INDArray x, INDArray labels) {
        SameDiff sd = SameDiff.create();
        long[] ph = new long[shape.length + 1];
        ph[0] = -1;
        System.arraycopy(shape, 0, ph, 1, shape.length);
        SDVariable out = model.define(sd, sd.placeHolder("x", DataType.FLOAT, ph), sd.placeHolder("label", DataType.FLOAT, -1));
        long params = 0;
        for (SDVariable v : sd.variables()) if (v.getVariableType() == VariableType.VARIABLE) params += v.getArr().length();
        INDArray y = sd.output(Map.of("x", x, "label", labels), out.name()).get(out.name());
        return new Object[] {y, params};
    }

    static INDArray points(long... shape) { return new Rng(3).normal(DataType.FLOAT, shape); }

    @Test
    void isFoundAsAServiceNextToExact() {
        assertThat(ServiceLoader.load(ModelPlugin.class).stream().map(p -> p.get().name())).contains("mlp", "exact");
        assertThat(PLUGIN.parameters()).extracting(p -> p.name())
                .containsExactly("hidden", "embedding", "embeddingDim", "fourierScale", "initScale", "skip", "inputFeatures", "inputScale", "classes");
    }

    @Test
    void aClassConditionalMlpAddsOneEmbeddingOfClassesPlusOneRowsAndKeepsTheOtherWeights() {
        long[] shape = {2};
        Mlp plain = create(new VpSde(0.1, 20), shape, 4, "hidden", List.of(8), "embeddingDim", 4, "initScale", 1.0);
        Mlp conditional = create(new VpSde(0.1, 20), shape, 4, "hidden", List.of(8), "embeddingDim", 4, "initScale", 1.0, "classes", 3);
        assertThat(plain.classes()).isZero();
        assertThat(conditional.classes()).isEqualTo(3);
        SameDiff a = SameDiff.create();
        plain.define(a, a.placeHolder("x", DataType.FLOAT, -1, 2), a.placeHolder("label", DataType.FLOAT, -1));
        SameDiff b = SameDiff.create();
        SDVariable out = conditional.define(b, b.placeHolder("x", DataType.FLOAT, -1, 2), b.placeHolder("label", DataType.FLOAT, -1),
                b.placeHolder("class", DataType.INT32, -1));
        for (SDVariable v : a.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) assertThat(b.getVariable(v.name()).getArr()).as(v.name()).isEqualTo(v.getArr());
        }
        assertThat(b.getVariable("mlp/label_embedding").getArr().shape()).containsExactly(4, 4);
        // each class, and the null label 3, gives its own prediction for the same input
        INDArray x = points(4, 2);
        INDArray t = Nd4j.createFromArray(100f, 100f, 100f, 100f);
        INDArray y = b.output(Map.of("x", x, "label", t, "class", Nd4j.createFromArray(0, 1, 2, 3)), out.name()).get(out.name());
        INDArray same = b.output(Map.of("x", x.getRow(0).reshape(1, 2).repeat(0, 4), "label", t, "class", Nd4j.createFromArray(0, 1, 2, 3)),
                out.name()).get(out.name());
        for (int i = 1; i < 4; i++) assertThat(same.getRow(i)).as("class %d vs class 0", i).isNotEqualTo(same.getRow(0));
        assertThat(y.shape()).containsExactly(4, 2);
        assertThatThrownBy(() -> create(new VpSde(0.1, 20), shape, 4, "classes", -2)).isInstanceOf(ParamException.class);
    }

    @Test
    void outputHasTheInputsShapeAndTheDefaultSize() {
        Mlp m = create(new VpSde(0.1, 20), new long[] {2}, 1, "initScale", 1.0);
        Object[] r = run(m, new long[] {2}, points(5, 2), Nd4j.createFromArray(0f, 100f, 500f, 900f, 999f));
        assertThat(((INDArray) r[0]).shape()).containsExactly(5, 2);
        // embedding dense 128x128, first layer (2 + 128) x 256, two 256 x 256, output 256 x 2, with biases;
        // the skip path's gain 128 x 1 and offset 128 x 2, with biases
        long want = 128 * 128 + 128 + 130 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 2 + 2 + (128 + 1) + (128 * 2 + 2);
        assertThat(r[1]).isEqualTo(want);
        assertThat(((INDArray) r[0]).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void inputFourierFeaturesWidenOnlyTheFirstLayerAndAreFixed() {
        // 16 features: sin and cos of 16 projections of the 2-D input, beside the raw input and the embedding
        Mlp plain = create(new VpSde(0.1, 20), new long[] {2}, 1, "hidden", List.of(32), "embeddingDim", 8, "initScale", 1.0);
        Mlp fourier = create(new VpSde(0.1, 20), new long[] {2}, 1, "hidden", List.of(32), "embeddingDim", 8, "initScale", 1.0,
                "inputFeatures", 16, "inputScale", 0.5);
        INDArray x = points(5, 2);
        INDArray l = Nd4j.createFromArray(1f, 200f, 400f, 600f, 999f);
        Object[] a = run(plain, new long[] {2}, x, l);
        Object[] b = run(fourier, new long[] {2}, x, l);
        assertThat((long) b[1] - (long) a[1]).isEqualTo(2 * 16 * 32); // the frequencies are constants, not weights
        assertThat(((INDArray) b[0]).shape()).containsExactly(5, 2);
        assertThat((INDArray) b[0]).isNotEqualTo(a[0]);
        assertThat((INDArray) run(fourier, new long[] {2}, x, l)[0]).isEqualTo(b[0]);
    }

    @Test
    void higherRankDataIsFlattenedAndRestored() {
        long[] shape = {1, 3, 4};
        Mlp m = create(new VpSde(0.1, 20), shape, 1, "hidden", List.of(16), "embeddingDim", 8, "initScale", 1.0);
        INDArray y = (INDArray) run(m, shape, points(6, 1, 3, 4), Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f, 6f))[0];
        assertThat(y.shape()).containsExactly(6, 1, 3, 4);
    }

    @Test
    void sameSeedSameNetworkEveryTimeItIsDefined() {
        INDArray x = points(4, 2);
        INDArray l = Nd4j.createFromArray(10f, 200f, 300f, 990f);
        Mlp a = create(new VpSde(0.1, 20), new long[] {2}, 7, "hidden", List.of(32, 32), "initScale", 1.0);
        INDArray first = (INDArray) run(a, new long[] {2}, x, l)[0];
        assertThat((INDArray) run(a, new long[] {2}, x, l)[0]).isEqualTo(first);
        assertThat((INDArray) run(create(new VpSde(0.1, 20), new long[] {2}, 7, "hidden", List.of(32, 32), "initScale", 1.0),
                new long[] {2}, x, l)[0]).isEqualTo(first);
        assertThat((INDArray) run(create(new VpSde(0.1, 20), new long[] {2}, 8, "hidden", List.of(32, 32), "initScale", 1.0),
                new long[] {2}, x, l)[0]).isNotEqualTo(first);
    }

    @Test
    void theOutputStartsAtZeroByDefault() {
        Mlp m = create(new VpSde(0.1, 20), new long[] {2}, 1, "hidden", List.of(32));
        INDArray y = (INDArray) run(m, new long[] {2}, points(4, 2), Nd4j.createFromArray(1f, 2f, 3f, 4f))[0];
        assertThat(y.amaxNumber().doubleValue()).isZero();
    }

    @Test
    void embeddingFollowsTheSdesNoiseLabel() {
        assertThat(create(new VpSde(0.1, 20), new long[] {2}, 1).fourier()).isFalse();
        assertThat(create(new VeSde(0.01, 50), new long[] {2}, 1).fourier()).isTrue();
        assertThat(create(new VpSde(0.1, 20), new long[] {2}, 1, "embedding", "fourier").fourier()).isTrue();
        assertThat(create(new VeSde(0.01, 50), new long[] {2}, 1, "embedding", "positional").fourier()).isFalse();
    }

    @Test
    void fourierFeaturesOfSigmaAreFiniteAndDistinguishNoiseLevels() {
        Mlp m = create(new VeSde(0.01, 50), new long[] {2}, 1, "hidden", List.of(32), "initScale", 1.0);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 2);
        INDArray y = (INDArray) run(m, new long[] {2}, x, Nd4j.createFromArray(0.01f, 1f, 50f))[0];
        assertThat(y.isInfinite().any() || y.isNaN().any()).isFalse();
        assertThat(y.getRow(0)).isNotEqualTo(y.getRow(1));
        assertThat(y.getRow(1)).isNotEqualTo(y.getRow(2));
    }

    @Test
    void rejectsAnOddEmbeddingAndNoHiddenLayers() {
        assertThatThrownBy(() -> create(new VpSde(0.1, 20), new long[] {2}, 1, "embeddingDim", 7))
                .isInstanceOf(ParamException.class).hasMessageContaining("even embeddingDim");
        assertThatThrownBy(() -> create(new VpSde(0.1, 20), new long[] {2}, 1, "hidden", List.of()))
                .isInstanceOf(ParamException.class).hasMessageContaining("at least one hidden layer");
        assertThatThrownBy(() -> create(new VpSde(0.1, 20), new long[] {2}, 1, "hidden", List.of(0)))
                .isInstanceOf(ParamException.class).hasMessageContaining("hidden");
    }
}
