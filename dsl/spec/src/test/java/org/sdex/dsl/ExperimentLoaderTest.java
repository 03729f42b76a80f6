package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.Param;

class ExperimentLoaderTest {

    @Test
    void recordsEveryValueWithItsLine() {
        ExperimentConfig c = ExperimentLoader.load(Validation.script("good.groovy"));
        assertThat(c.name).isEqualTo("good");
        assertThat(c.script).isEqualTo("good.groovy");
        assertThat(c.location).isEqualTo(new SourceLocation("good.groovy", 2));
        assertThat(c.seed).isEqualTo(1L);
        assertThat(c.seedLocation.line()).isEqualTo(3);
        assertThat(c.sde.name).isEqualTo("vp");
        assertThat(c.sde.params).containsEntry("betaMin", 0.1).containsEntry("betaMax", 20);
        assertThat(c.sde.location.line()).isEqualTo(5);
        assertThat(c.model.params).containsEntry("hidden", List.of(32, 32));
        Section train = c.section("train");
        assertThat(train.location.line()).isEqualTo(7);
        assertThat(train.values).containsEntry("steps", 10).containsEntry("lr", 2e-3);
        assertThat(train.where("ema").line()).isEqualTo(7);
        Section sample = c.section("sample");
        assertThat(sample.location.line()).isEqualTo(8);
        assertThat(sample.plugins.get("predictor").name).isEqualTo("euler_maruyama");
        assertThat(sample.plugins.get("corrector").location.line()).isEqualTo(10);
        assertThat(sample.where("n").line()).isEqualTo(12);
        assertThat(sample.values).containsEntry("denoise", true);
    }

    @Test
    void pluginsInsideABlockTakeNamedParameters() {
        ExperimentConfig c = ExperimentLoader.parse("""
                experiment('pc') {
                    sample {
                        predictor 'reverse_diffusion'
                        corrector 'langevin', snr: 0.16, nSteps: 1
                    }
                }
                """, "pc.groovy");
        Section sample = c.section("sample");
        assertThat(sample.plugins.get("predictor").params).isEmpty();
        assertThat(sample.plugins.get("corrector").name).isEqualTo("langevin");
        assertThat(sample.plugins.get("corrector").params).containsEntry("snr", 0.16).containsEntry("nSteps", 1);
        assertThat(sample.plugins.get("corrector").location).isEqualTo(new SourceLocation("pc.groovy", 4));
    }

    @Test
    void goodScriptValidates() {
        ExperimentPlan plan = Validation.plan("good.groovy");
        assertThat(plan.train().steps()).isEqualTo(10);
        assertThat(plan.sample().n()).isEqualTo(100);
        assertThat(plan.sampling().label()).isEqualTo("euler_maruyama/none");
    }

    @Test
    void plainGroovyWorksAroundAndInsideTheDsl() {
        ExperimentPlan plan = Validation.plan("helpers.groovy");
        assertThat(plan.name()).isEqualTo("helpers");
        assertThat(plan.seed()).isEqualTo(3);
        assertThat(plan.model().params().ints("hidden")).containsExactly(128, 128);
        assertThat(plan.train().steps()).isEqualTo(20);
        assertThat(plan.sample().n()).isEqualTo(100);
        assertThat(plan.sample().denoise()).isFalse();
        assertThat(plan.config().section("train").where("steps").line()).isEqualTo(11);
    }

    /** Every setting has a typed method, so IDEs complete it; a new setting without one still works via methodMissing. */
    @Test
    void everySettingHasATypedMethod() {
        assertThat(methodNames(TrainSpec.class)).containsAll(names(Vocabulary.TRAIN.settings()));
        assertThat(methodNames(SampleSpec.class)).containsAll(names(Vocabulary.SAMPLE.settings())).contains("predictor", "corrector");
        assertThat(methodNames(SampleSpec.class)).contains("ode", "solver");
        assertThat(methodNames(LikelihoodSpec.class)).containsAll(names(Vocabulary.LIKELIHOOD.settings())).contains("ode");
        assertThat(methodNames(ExperimentSpec.class)).contains("seed", "data", "sde", "model", "train", "sample", "likelihood");
    }

    private static List<String> methodNames(Class<?> c) {
        return Arrays.stream(c.getMethods()).map(Method::getName).toList();
    }

    private static List<String> names(List<Param> ps) {
        return ps.stream().map(Param::name).toList();
    }
}
