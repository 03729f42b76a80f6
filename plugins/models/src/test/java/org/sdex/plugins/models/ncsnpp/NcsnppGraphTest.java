package org.sdex.plugins.models.ncsnpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.random.Rng;

/** The small networks as SameDiff graphs: shapes, gradients, dropout, determinism, initialisation, input range. */
class NcsnppGraphTest {
    static final long[] SHAPE = {3, 16, 16};
    static final INDArray VP_LABELS = Nd4j.createFromArray(10f, 500f);
    static final INDArray VE_LABELS = Nd4j.createFromArray(0.5f, 3f);

    static INDArray images() { return new Rng(3).normal(DataType.FLOAT, 2, 3, 16, 16); }

    /** Runs forward and the gradient of sum(out * r) for every weight; checks shape and finiteness. */
    static void assertTrainable(Ncsnpp m, INDArray labels) {
        Nets.Graph g = Nets.build(m);
        INDArray x = images();
        INDArray y = g.output(x, labels);
        assertThat(y.shape()).containsExactly(2, 3, 16, 16);
        assertThat(y.isNaN().any() || y.isInfinite().any()).isFalse();

        SDVariable r = g.sd().constant("r", new Rng(4).normal(DataType.FLOAT, 2, 3, 16, 16));
        g.sd().setLossVariables(g.out().mul(r).sum());
        Map<String, INDArray> grads = g.sd().calculateGradients(Map.of("x", x, "label", labels), g.weights());
        for (String w : g.weights()) {
            INDArray gw = grads.get(w);
            assertThat(gw).as("gradient of %s", w).isNotNull();
            assertThat(gw.shape()).isEqualTo(g.stored(w).shape());
            assertThat(gw.isNaN().any() || gw.isInfinite().any()).as("gradient of %s is finite", w).isFalse();
            // the attention's key bias adds the same logit to every key: softmax ignores it, its gradient is 0
            if (!w.endsWith("NIN_1.b")) assertThat(gw.amaxNumber().doubleValue()).as("gradient of %s", w).isPositive();
        }
    }

    @Test
    void ddpmppRunsAndEveryWeightGetsAFiniteGradient() {
        // BigGAN blocks without FIR, positional embedding of 999 t (auto on VP)
        Ncsnpp m = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, Nets.small());
        assertThat(m.config().fourier()).isFalse();
        assertThat(m.config().fir()).isFalse();
        assertTrainable(m, VP_LABELS);
    }

    @Test
    void ncsnppWithFirAndBothPyramidsRunsAndEveryWeightGetsAFiniteGradient() {
        // FIR resampling, residual input pyramid, output_skip output pyramid, Fourier features (auto on VE)
        Ncsnpp m = Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), SHAPE, 1, Nets.small("progressive", "output_skip"));
        assertThat(m.config().fourier()).isTrue();
        assertThat(m.config().fir()).isTrue();
        assertTrainable(m, VE_LABELS);
    }

    @Test
    void ddpmTypeBlocksWithFirConvResamplingRunAndEveryWeightGetsAFiniteGradient() {
        // ddpm-type blocks with FIR Upsample/Downsample convs, residual output pyramid (FIR upsampling conv),
        // input_skip pyramid joined by concatenation, positional features on VE
        Ncsnpp m = Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), SHAPE, 1, Nets.small("resblockType", "ddpm",
                "progressive", "residual", "progressiveInput", "input_skip", "progressiveCombine", "cat",
                "embeddingType", "positional", "initScale", 0.5));
        assertTrainable(m, VP_LABELS);
    }

    @Test
    void trainingGraphsApplyDropoutEvalGraphsDoNot() {
        Ncsnpp m = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, Nets.small("initScale", 1.0, "dropout", 0.3));
        Nets.Graph eval = Nets.build(m);
        Nets.Graph train = Nets.build(m, 2, true);
        assertThat(train.weights()).isEqualTo(eval.weights());
        for (String w : eval.weights()) assertThat(values(train.weight(w))).as(w).isEqualTo(values(eval.weight(w)));

        INDArray x = images();
        INDArray e1 = eval.output(x, VP_LABELS).dup();
        assertThat(values(eval.output(x, VP_LABELS))).isEqualTo(values(e1));

        Nd4j.getRandom().setSeed(11);
        INDArray t1 = train.output(x, VP_LABELS).dup();
        INDArray t2 = train.output(x, VP_LABELS).dup();
        Nd4j.getRandom().setSeed(11);
        INDArray t3 = train.output(x, VP_LABELS).dup();
        assertThat(values(t1)).isNotEqualTo(values(e1));
        assertThat(values(t2)).as("a fresh mask every execution").isNotEqualTo(values(t1));
        assertThat(values(t3)).as("masks follow ND4J's seed").isEqualTo(values(t1));

        INDArray mask = train.sd().output(Map.of("x", x, "label", VP_LABELS), "ncsnpp/dropout_mask_0").get("ncsnpp/dropout_mask_0");
        double dropped = mask.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(dropped).isCloseTo(0.3, within(0.05));
        assertThat(mask.maxNumber().doubleValue()).isCloseTo(1 / 0.7, within(1e-5));

        train.sd().setLossVariables(train.out().mul(train.out()).sum());
        Map<String, INDArray> grads = train.sd().calculateGradients(Map.of("x", x, "label", VP_LABELS), train.weights());
        for (String w : train.weights()) assertThat(grads.get(w).isNaN().any()).as(w).isFalse();

        assertThatThrownBy(() -> Nets.build(m, -1, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed batch size");
    }

    @Test
    void sameSeedSameInitialWeights() {
        Ncsnpp a = Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), SHAPE, 7, Nets.small());
        Nets.Graph first = Nets.build(a);
        Nets.Graph again = Nets.build(a);
        Nets.Graph same = Nets.build(Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), SHAPE, 7, Nets.small()));
        Nets.Graph other = Nets.build(Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), SHAPE, 8, Nets.small()));
        for (String w : first.weights()) {
            assertThat(values(again.weight(w))).as(w).isEqualTo(values(first.weight(w)));
            assertThat(values(same.weight(w))).as(w).isEqualTo(values(first.weight(w)));
            // every randomly initialised tensor (all matrices and kernels) differs; vectors are constants
            if (first.weight(w).rank() > 1) assertThat(values(other.weight(w))).as(w).isNotEqualTo(values(first.weight(w)));
            else assertThat(values(other.weight(w))).as(w).isEqualTo(values(first.weight(w)));
        }
        String fourier = "all_modules.0.W";
        assertThat(values(same.sd().getVariable(fourier).getArr())).isEqualTo(values(first.sd().getVariable(fourier).getArr()));
        assertThat(values(other.sd().getVariable(fourier).getArr())).isNotEqualTo(values(first.sd().getVariable(fourier).getArr()));
    }

    @Test
    void convolutionWeightsAreStoredKernelFirstAndReadInTheReferenceLayout() {
        Ncsnpp m = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, Nets.small());
        Nets.Graph g = Nets.build(m);
        String conv = "all_modules.2.weight"; // conv3x3(3, nf 16)
        assertThat(g.stored(conv).shape()).containsExactly(3, 3, 3, 16);
        assertThat(m.storedAxes(conv)).containsExactly(Layers.CONV_STORED_AXES);
        assertThat(g.weight(conv).shape()).containsExactly(16, 3, 3, 3);
        // reference [o, i, y, x] is stored at [y, x, i, o]
        assertThat(g.weight(conv).getDouble(5, 1, 0, 2)).isEqualTo(g.stored(conv).getDouble(0, 2, 1, 5));
        assertThat(m.storedAxes("all_modules.0.weight")).as("a linear layer's weight is stored as the reference's").isNull();
    }

    /** The exact values (INDArray.equals allows a difference of 1e-5, larger than the 1e-10-scaled weights). */
    static float[] values(INDArray a) { return a.dup('c').data().asFloat(); }

    static double variance(INDArray a) {
        double m = a.meanNumber().doubleValue();
        return a.castTo(DataType.DOUBLE).sub(m).mul(a.castTo(DataType.DOUBLE).sub(m)).meanNumber().doubleValue();
    }

    @Test
    void weightsFollowTheReferencesDefaultInit() {
        Nets.Graph g = Nets.build(Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, Nets.small()));
        // default_init(scale): U(-a, a), a = sqrt(3 scale / fan_avg), variance scale / fan_avg
        Object[][] expected = {
                {"all_modules.0.weight", 1.0, (16 + 64) / 2.0},               // Linear(16, 64)
                {"all_modules.2.weight", 1.0, (27 + 144) / 2.0},              // conv3x3(3, 16)
                {"all_modules.3.Conv_0.weight", 1.0, (144 + 144) / 2.0},      // conv3x3(16, 16)
                {"all_modules.5.Conv_0.weight", 1.0, (144 + 288) / 2.0},      // conv3x3(16, 32)
                {"all_modules.6.NIN_0.W", 0.1, 32.0},                         // NIN default init_scale 0.1
                {"all_modules.3.Conv_1.weight", 1e-10, (144 + 144) / 2.0},    // init_scale 0 -> 1e-10
                {"all_modules.6.NIN_3.W", 1e-10, 32.0},
        };
        for (Object[] e : expected) {
            INDArray w = g.weight((String) e[0]);
            double var = (double) e[1] / (double) e[2];
            assertThat(w.amaxNumber().doubleValue()).as("bound of %s", e[0]).isLessThanOrEqualTo(Math.sqrt(3 * var) * (1 + 1e-6));
            assertThat(variance(w) / var).as("variance of %s", e[0]).isCloseTo(1.0, within(0.2));
        }
        // biases start at zero; the only weight vectors are GroupNorm scales, which start at one
        for (String w : g.weights()) {
            INDArray a = g.weight(w);
            if (w.endsWith(".bias") || w.endsWith(".b")) assertThat(a.amaxNumber().doubleValue()).as(w).isZero();
            if (w.endsWith(".weight") && a.rank() == 1) {
                assertThat(a.minNumber().doubleValue()).as(w).isEqualTo(1.0);
                assertThat(a.maxNumber().doubleValue()).as(w).isEqualTo(1.0);
            }
        }
    }

    @Test
    void theInitialOutputIsAlmostZeroWithInitScaleZero() {
        Ncsnpp zero = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, Nets.small());
        Ncsnpp one = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, Nets.small("initScale", 1.0));
        assertThat(Nets.build(zero).output(images(), VP_LABELS).amaxNumber().doubleValue()).isLessThan(1e-4);
        assertThat(Nets.build(one).output(images(), VP_LABELS).amaxNumber().doubleValue()).isGreaterThan(1e-2);
    }

    @Test
    void uncenteredDataIsMappedToMinusOneOne() {
        Map<String, Object> p = new HashMap<>(Nets.small("initScale", 1.0));
        p.put("centered", "false");
        Ncsnpp unit = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, p);
        p.put("centered", "true");
        Ncsnpp centered = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), SHAPE, 1, p);
        INDArray u = new Rng(5).uniform(DataType.FLOAT, 2, 3, 16, 16);
        INDArray a = Nets.build(unit).output(u, VP_LABELS);
        INDArray b = Nets.build(centered).output(u.mul(2).sub(1), VP_LABELS);
        assertThat(a.sub(b).amaxNumber().doubleValue()).isLessThan(1e-5);

        // auto: from the dataset's pixel range; continuous data count as centred
        Map<String, Object> auto = Nets.small();
        assertThat(Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), new Nets.Shaped(SHAPE, Optional.of(PixelRange.UNIT)), 1, auto)
                .config().centered()).isFalse();
        assertThat(Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), new Nets.Shaped(SHAPE, Optional.of(PixelRange.CENTERED)), 1, auto)
                .config().centered()).isTrue();
        assertThat(Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), new Nets.Shaped(SHAPE, Optional.empty()), 1, auto)
                .config().centered()).isTrue();
    }
}
