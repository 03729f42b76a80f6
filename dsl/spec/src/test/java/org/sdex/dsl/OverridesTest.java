package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sdex.dsl.Validation.error;
import static org.sdex.dsl.Validation.plan;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.Param;

class OverridesTest {

    @Test
    void overridesSettingsPluginsAndParameters() {
        ExperimentPlan p = plan("good.groovy", "train.steps=5", "sample.n=500", "seed=3", "sde.betaMax=10",
                "model.hidden=[64,64]", "sample.predictor=reverse_diffusion", "sample.denoise=false");
        assertThat(p.train().steps()).isEqualTo(5);
        assertThat(p.sample().n()).isEqualTo(500);
        assertThat(p.seed()).isEqualTo(3);
        assertThat(p.sde().params().real("betaMax")).isEqualTo(10.0);
        assertThat(p.sde().params().real("betaMin")).isEqualTo(0.1);
        assertThat(p.model().params().ints("hidden")).containsExactly(64, 64);
        assertThat(p.sampling().label()).isEqualTo("reverse_diffusion/none");
        assertThat(p.sample().denoise()).isFalse();
    }

    @Test
    void choosingAnotherPluginDropsTheOldOnesParameters() {
        ExperimentPlan p = plan("good.groovy", "sde=ve", "sde.sigmaMax=5");
        assertThat(p.sde().name()).isEqualTo("ve");
        assertThat(p.sde().params().real("sigmaMax")).isEqualTo(5.0);
    }

    @Test
    void theScriptIsLeftUnchanged() {
        ExperimentConfig c = ExperimentLoader.load(Validation.script("good.groovy"));
        Overrides.apply(c, List.of("train.steps=5", "sde=ve"));
        assertThat(c.section("train").values).containsEntry("steps", 10);
        assertThat(c.sde.name).isEqualTo("vp");
    }

    @Test
    void valuesAreJsonLiteralsOrStrings() {
        assertThat(Overrides.literal("10")).isEqualTo(10);
        assertThat(Overrides.literal("1e-3")).isEqualTo(1e-3);
        assertThat(Overrides.literal("true")).isEqualTo(true);
        assertThat(Overrides.literal("[64, 64]")).isEqualTo(List.of(64, 64));
        assertThat(Overrides.literal("ve")).isEqualTo("ve");
        assertThat(Overrides.literal("'quoted'")).isEqualTo("quoted");
        assertThat(Overrides.literal("1 2")).isEqualTo("1 2");
    }

    @Test
    void unknownKey() {
        assertThat(error("good.groovy", "trian.steps=10")).isEqualTo("--set trian.steps=10: unknown setting 'trian'. "
                + "Accepted: seed, data[.PARAM], sde[.PARAM], model[.PARAM], train.SETTING, sample.SETTING, condition.SETTING, likelihood.SETTING, evaluate.SETTING");
    }

    @Test
    void unknownSettingInABlockIsReportedWithTheBlocksSettings() {
        String accepted = Vocabulary.TRAIN.settings().stream().map(Param::name).collect(Collectors.joining(", "));
        assertThat(error("good.groovy", "train.stpes=3")).isEqualTo(
                "--set train.stpes=3: unknown setting 'stpes' in train. Accepted: " + accepted);
    }

    @Test
    void wrongType() {
        assertThat(error("good.groovy", "train.steps=many")).isEqualTo(
                "--set train.steps=many: train setting 'steps' must be an integer >= 1, got 'many'");
        assertThat(error("good.groovy", "seed=x")).isEqualTo("--set seed=x: seed must be an integer, got 'x'");
    }

    @Test
    void wrongPluginParameter() {
        assertThat(error("good.groovy", "sample.corrector.snr=0.2")).startsWith(
                "--set sample.corrector.snr=0.2: corrector 'none' has no parameter 'snr'.");
    }

    @Test
    void malformedAssignments() {
        assertThat(error("good.groovy", "train.steps")).isEqualTo(
                "--set train.steps: expected key=value, like --set train.steps=100");
        assertThat(error("good.groovy", "train=3")).isEqualTo(
                "--set train=3: train is a block; set one of its settings, like --set train.steps=1000");
        assertThat(error("good.groovy", "train.steps.x=3")).isEqualTo(
                "--set train.steps.x=3: train.steps is not a plugin choice; write --set train.steps=VALUE");
        assertThat(error("good.groovy", "sde=[1]")).isEqualTo(
                "--set sde=[1]: sde needs a plugin name, like --set sde=NAME; got [1]");
    }

    @Test
    void anOdeChosenOnTheCommandLineReplacesTheScriptsPredictorCorrector() {
        // docs/dsl.md's example on a predictor-corrector script with `steps 10`
        ExperimentPlan p = plan("good.groovy", "sample.ode=rk45", "sample.ode.rtol=1e-3");
        assertThat(p.sampling().label()).startsWith("ode rk45");
        assertThat(((SamplingMethod.ProbabilityFlowOde) p.sampling()).solver().params().real("rtol")).isEqualTo(1e-3);
        // a parameter without the plugin: the message names the --set
        assertThat(error("good.groovy", "sample.ode.rtol=1e-3")).isEqualTo("--set sample.ode.rtol=1e-3: sample.ode has no default"
                + " plugin to set 'rtol' on; choose one first, like --set sample.ode=NAME --set sample.ode.rtol=VALUE");
    }

    @Test
    void aSolverChosenOnTheCommandLineUsesItsOwnDefaultStepsUnlessGiven() {
        ExperimentPlan p = plan("good.groovy", "sample.solver=dpm_solver_pp");
        assertThat(p.sampling().label()).contains("dpm_solver_pp");
        assertThat(p.sample().steps()).isEqualTo(20);
        assertThat(plan("good.groovy", "sample.solver=dpm_solver_pp", "sample.steps=7").sample().steps()).isEqualTo(7);
        // and back to a predictor from the command line
        assertThat(plan("good.groovy", "sample.solver=ddim", "sample.predictor=reverse_diffusion").sampling().label())
                .isEqualTo("reverse_diffusion/none");
    }

    @Test
    void stepsGivenWithSetForAnAdaptiveOdeNameTheSet() {
        assertThat(error("good.groovy", "sample.ode=rk45", "sample.steps=50")).startsWith(
                "--set sample.steps=50: setting 'steps' does not apply to ode 'rk45'");
    }

    @Test
    void aQuotedNumberIsText() {
        assertThat(error("good.groovy", "train.batchSize='512'")).isEqualTo(
                "--set train.batchSize='512': train setting 'batchSize' must be an integer >= 1, got '512'"
                        + " (text; write the number without quotes)");
        assertThat(error("good.groovy", "sde.betaMax='20'")).isEqualTo(
                "--set sde.betaMax='20': sde 'vp' parameter 'betaMax' must be a number > 0, got '20'"
                        + " (text; write the number without quotes)");
    }
}
