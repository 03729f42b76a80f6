package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sdex.dsl.Validation.VALIDATOR;
import static org.sdex.dsl.Validation.error;

import org.junit.jupiter.api.Test;
import org.sdex.core.error.SdexException;

/** Infinity, NaN and overflow are refused by name, from a script and from --set, and too-large integers say the limit. */
class NonFiniteValuesTest {

    @Test
    void infinityAndNanFromSetAreRefused() {
        assertThat(error("good.groovy", "train.lr=Infinity"))
                .isEqualTo("--set train.lr=Infinity: train setting 'lr' must be a finite number, got 'Infinity'");
        assertThat(error("good.groovy", "train.gradClip=Infinity"))
                .isEqualTo("--set train.gradClip=Infinity: train setting 'gradClip' must be a finite number, got 'Infinity'");
        assertThat(error("good.groovy", "sde.betaMax=NaN")).contains("sde 'vp' parameter 'betaMax' must be").contains("NaN");
        assertThat(error("good.groovy", "sde=ve", "sde.sigmaMax=Infinity"))
                .isEqualTo("--set sde.sigmaMax=Infinity: sde 've' parameter 'sigmaMax' must be a finite number, got 'Infinity'");
    }

    @Test
    void anOverflowingExpressionInTheScriptIsRefusedAtItsLine() {
        assertThatThrownBy(() -> VALIDATOR.validate(ExperimentLoader.parse("""
                experiment('x') {
                    data 'checkerboard'; sde 'vp'; model 'mlp'
                    train { lr 1e308 * 10 }
                }
                """, "overflow.groovy"))).isInstanceOf(SdexException.class)
                .hasMessage("overflow.groovy:3: train setting 'lr' must be a finite number, got Infinity");
        assertThatThrownBy(() -> VALIDATOR.validate(ExperimentLoader.parse("""
                experiment('x') {
                    data 'gmm', std: [1e308 * 1e10]
                    sde 'vp'; model 'exact'
                }
                """, "overflow_param.groovy"))).hasMessageStartingWith("overflow_param.groovy:2: data 'gmm' parameter 'std' must be a finite number");
    }

    @Test
    void aTooLargeIntegerSaysTheLimit() {
        assertThat(error("good.groovy", "train.steps=3000000000"))
                .isEqualTo("--set train.steps=3000000000: train setting 'steps' must be at most 2147483647, got 3000000000");
        assertThat(error("good.groovy", "sample.n=99999999999999999999"))
                .isEqualTo("--set sample.n=99999999999999999999: sample setting 'n' must be at most 2147483647, got 99999999999999999999");
        assertThatThrownBy(() -> VALIDATOR.validate(ExperimentLoader.parse("""
                experiment('x') {
                    data 'checkerboard'; sde 'vp'; model 'mlp'
                    train { steps 100000000000000000000 }
                }
                """, "big.groovy"))).hasMessage("big.groovy:3: train setting 'steps' must be at most 2147483647, got 100000000000000000000");
    }
}
