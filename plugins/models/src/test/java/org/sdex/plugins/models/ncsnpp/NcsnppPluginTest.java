package org.sdex.plugins.models.ncsnpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.model.ModelPlugin;

/** The plugins: registration, defaults (the paper's CIFAR-10 configs), embedding choice, validation. */
class NcsnppPluginTest {
    static final long[] CIFAR = {3, 32, 32};

    @Test
    void bothAreFoundAsServicesNextToTheOthers() {
        assertThat(ServiceLoader.load(ModelPlugin.class).stream().map(p -> p.get().name()))
                .contains("ncsnpp", "ddpmpp", "mlp", "exact");
    }

    @Test
    void theyTakeTheReferencesConfigFieldsAndDifferOnlyInDefaults() {
        List<String> names = List.of("nf", "chMult", "numResBlocks", "attnResolutions", "dropout", "resampWithConv",
                "skipRescale", "resblockType", "fir", "firKernel", "progressive", "progressiveInput", "progressiveCombine",
                "embeddingType", "fourierScale", "conditional", "initScale", "centered", "classes");
        assertThat(Nets.NCSNPP.parameters()).extracting(Param::name).containsExactlyElementsOf(names);
        assertThat(Nets.DDPMPP.parameters()).extracting(Param::name).containsExactlyElementsOf(names);

        NcsnppConfig ncsn = Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), CIFAR, 1, Map.of()).config();
        NcsnppConfig ddpm = Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), CIFAR, 1, Map.of()).config();
        for (NcsnppConfig c : List.of(ncsn, ddpm)) {
            assertThat(c.nf()).isEqualTo(128);
            assertThat(c.chMult()).containsExactly(1, 2, 2, 2);
            assertThat(c.numResBlocks()).isEqualTo(4);
            assertThat(c.attnResolutions()).containsExactly(16);
            assertThat(c.dropout()).isEqualTo(0.1);
            assertThat(c.biggan()).isTrue();
            assertThat(c.skipRescale()).isTrue();
            assertThat(c.resampWithConv()).isTrue();
            assertThat(c.progressive()).isEqualTo("none");
            assertThat(c.initScale()).isZero();
            assertThat(c.firKernel()).containsExactly(1, 3, 3, 1);
        }
        // NCSN++ cont. (VE): FIR, residual input pyramid, Fourier features of log sigma
        assertThat(ncsn.fir()).isTrue();
        assertThat(ncsn.progressiveInput()).isEqualTo("residual");
        assertThat(ncsn.fourier()).isTrue();
        assertThat(ncsn.fourierScale()).isEqualTo(16);
        // DDPM++ cont. (VP): no FIR, no input pyramid, positional features of 999 t
        assertThat(ddpm.fir()).isFalse();
        assertThat(ddpm.progressiveInput()).isEqualTo("none");
        assertThat(ddpm.fourier()).isFalse();
    }

    @Test
    void theEmbeddingFollowsTheSdeUnlessSet() {
        assertThat(Nets.create(Nets.NCSNPP, new VpSde(0.1, 20), CIFAR, 1, Map.of()).config().fourier()).isFalse();
        assertThat(Nets.create(Nets.DDPMPP, new VeSde(0.01, 50), CIFAR, 1, Map.of()).config().fourier()).isTrue();
        assertThat(Nets.create(Nets.DDPMPP, new VpSde(0.1, 20), CIFAR, 1, Map.of("embeddingType", "fourier")).config().fourier()).isTrue();
        assertThat(Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), CIFAR, 1, Map.of("embeddingType", "positional")).config().fourier()).isFalse();
    }

    @Test
    void architecturesTheReferenceCannotBuildAreRejectedAtCreation() {
        VpSde vp = new VpSde(0.1, 20);
        assertThatThrownBy(() -> Nets.create(Nets.DDPMPP, vp, new Nets.Shaped(new long[] {2}, Optional.empty()), 1, Map.of()))
                .isInstanceOf(ParamException.class).hasMessageContaining("image data of shape [C, H, W]");
        assertThatThrownBy(() -> Nets.create(Nets.DDPMPP, vp, new long[] {3, 30, 30}, 1, Map.of()))
                .isInstanceOf(ParamException.class).hasMessageContaining("cannot be halved 3 times");
        // 130 channels: min(130/4, 32) = 32 groups do not divide 130
        assertThatThrownBy(() -> Nets.create(Nets.DDPMPP, vp, CIFAR, 1, Map.of("nf", 130)))
                .isInstanceOf(ParamException.class).hasMessageContaining("GroupNorm cannot split 130 channels")
                .satisfies(e -> assertThat(((ParamException) e).param()).isEqualTo("nf"));
        assertThatThrownBy(() -> Nets.create(Nets.DDPMPP, vp, CIFAR, 1, Map.of("firKernel", List.of(1))))
                .isInstanceOf(ParamException.class).hasMessageContaining("at least 2 taps");
        assertThatThrownBy(() -> Params.of(Nets.DDPMPP, Map.of("resblockType", "resnet")))
                .isInstanceOf(ParamException.class).hasMessageContaining("biggan, ddpm");
        assertThatThrownBy(() -> Nets.create(Nets.NCSNPP, vp, CIFAR, 1, Map.of("conditional", false, "classes", 10)))
                .isInstanceOf(ParamException.class).hasMessage("model 'ncsnpp' adds the class embedding to the noise-level"
                        + " embedding, which conditional false leaves out; set conditional true or classes 0")
                .satisfies(e -> assertThat(((ParamException) e).param()).isEqualTo("classes"));
        // channel counts of the concatenating input pyramid and the skip connections are checked too
        assertThat(Nets.create(Nets.NCSNPP, new VeSde(0.01, 50), new long[] {3, 16, 16}, 1,
                Nets.small("progressiveInput", "input_skip", "progressiveCombine", "cat")).config().problem()).isNull();
    }
}
