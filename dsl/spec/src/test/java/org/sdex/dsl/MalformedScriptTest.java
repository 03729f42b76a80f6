package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sdex.dsl.Validation.REGISTRY;
import static org.sdex.dsl.Validation.error;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.Param;
import org.sdex.spi.PluginKind;

/** Each malformed script gives exactly one line naming the script, the line and what is accepted. */
class MalformedScriptTest {

    private static String names(java.util.List<Param> params) {
        return params.stream().map(Param::name).collect(Collectors.joining(", "));
    }

    private static String available(PluginKind kind) {
        return String.join(", ", REGISTRY.names(kind));
    }

    @Test
    void typoInSetting() {
        assertThat(error("typo_in_setting.groovy")).isEqualTo(
                "typo_in_setting.groovy:7: unknown setting 'stpes' in train. Accepted: " + names(Vocabulary.TRAIN.settings()));
    }

    @Test
    void wrongType() {
        assertThat(error("wrong_type.groovy")).isEqualTo(
                "wrong_type.groovy:6: train setting 'steps' must be an integer, got 'many'");
    }

    @Test
    void outOfRangeIsReportedByTheValidatorAtTheScriptLine() {
        // `lr -1` is `lr - 1` to Groovy; the DSL still records -1
        assertThat(error("out_of_range.groovy")).isEqualTo(
                "out_of_range.groovy:7: train setting 'lr' must be a number > 0, got -1");
    }

    @Test
    void unknownPlugin() {
        assertThat(error("unknown_predictor.groovy")).isEqualTo(
                "unknown_predictor.groovy:6: No predictor 'eular'. Available: " + available(PluginKind.PREDICTOR));
    }

    @Test
    void unknownPluginParameter() {
        String accepted = names(REGISTRY.get(PluginKind.SDE, "vp").plugin().parameters());
        assertThat(error("unknown_plugin_param.groovy")).isEqualTo(
                "unknown_plugin_param.groovy:3: sde 'vp' has no parameter 'betaMaxx'. Accepted: " + accepted);
    }

    @Test
    void wrongPluginParameterType() {
        Param betaMax = REGISTRY.get(PluginKind.SDE, "vp").plugin().parameters().stream()
                .filter(p -> p.name().equals("betaMax")).findFirst().orElseThrow();
        assertThat(error("wrong_plugin_param_type.groovy")).isEqualTo(
                "wrong_plugin_param_type.groovy:3: sde 'vp' parameter 'betaMax' must be " + betaMax.accepted() + ", got 'high'");
    }

    @Test
    void missingModel() {
        assertThat(error("missing_model.groovy")).isEqualTo(
                "missing_model.groovy:2: missing setting 'model'. Available: " + available(PluginKind.MODEL));
    }

    @Test
    void syntaxError() {
        assertThat(error("syntax_error.groovy")).isEqualTo(
                "syntax_error.groovy:3: syntax error: Unexpected input: 'sde 'vp', betaMax: 20)'");
    }

    @Test
    void missingBrace() {
        assertThat(error("missing_brace.groovy")).isEqualTo(
                "missing_brace.groovy:7: syntax error: unexpected end of the script; is a '}' or ')' missing?");
    }

    @Test
    void missingCommaBeforeParameters() {
        assertThat(error("missing_comma.groovy")).isEqualTo(
                "missing_comma.groovy:3: sde needs a plugin name and optional named parameters, like sde 'name', param: value");
    }

    @Test
    void twoExperiments() {
        assertThat(error("two_experiments.groovy")).isEqualTo(
                "two_experiments.groovy:7: only one experiment per script; the first is at line 1");
    }

    @Test
    void exceptionInTheUsersCode() {
        assertThat(error("runtime_error.groovy")).isEqualTo("runtime_error.groovy:6: Division by zero");
    }

    @Test
    void noExperiment() {
        assertThat(error("no_experiment.groovy")).isEqualTo(
                "no_experiment.groovy: no experiment in this script; declare one with experiment('name') { ... }");
    }

    @Test
    void unknownTopLevelSetting() {
        assertThat(error("unknown_top_level.groovy")).isEqualTo(
                "unknown_top_level.groovy:5: unknown setting 'optimizer' in experiment. Accepted: seed, data, sde, model, train, sample, condition, likelihood, evaluate, sweep");
    }

    @Test
    void settingOfAnotherBlock() {
        assertThat(error("setting_in_wrong_block.groovy")).isEqualTo(
                "setting_in_wrong_block.groovy:7: unknown setting 'lr' in sample. Accepted: "
                        + names(Vocabulary.SAMPLE.settings()) + ", predictor, corrector, ode, solver");
    }

    @Test
    void settingWithoutValue() {
        assertThat(error("bare_setting.groovy")).isEqualTo(
                "bare_setting.groovy:7: sample setting 'denoise' has no value; write it like denoise true");
    }

    @Test
    void settingWithTwoValues() {
        assertThat(error("two_values.groovy")).isEqualTo(
                "two_values.groovy:6: sample setting 'steps' takes one value, like steps 1000");
    }

    @Test
    void pluginChosenByANumber() {
        assertThat(error("plugin_not_a_name.groovy")).isEqualTo(
                "plugin_not_a_name.groovy:3: sde takes a plugin name and optional named parameters, like sde 'name', param: value; got 42");
    }

    @Test
    void combinationCheckedByTheValidator() {
        assertThat(error("analytic_with_train.groovy")).isEqualTo(
                "analytic_with_train.groovy:5: model 'exact' is analytic and has nothing to train; remove the train block");
    }

    @Test
    void twoWaysOfSamplingInOneBlock() {
        assertThat(error("two_sampling_methods.groovy")).isEqualTo(
                "two_sampling_methods.groovy:7: sample uses one way of sampling, found predictor/corrector and solver."
                        + " Accepted: predictor/corrector, ode, solver");
    }

    @Test
    void stepsDoNotApplyToAnAdaptiveOdeSolver() {
        assertThat(error("steps_with_adaptive_ode.groovy")).isEqualTo(
                "steps_with_adaptive_ode.groovy:7: setting 'steps' does not apply to ode 'rk45', which chooses its own steps;"
                        + " set its tolerances instead, e.g. ode 'rk45', rtol: 1e-5, atol: 1e-5");
    }

    @Test
    void probabilityFlowIsASettingOfPredictorsOnly() {
        assertThat(error("probability_flow_with_solver.groovy")).isEqualTo(
                "probability_flow_with_solver.groovy:7: setting 'probabilityFlow' applies to predictors;"
                        + " solver ddim has its own way (remove the setting)");
    }

    @Test
    void missingScriptFile() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> ExperimentLoader.load(java.nio.file.Path.of("no/such/file.groovy"))))
                .hasMessage("no such experiment script: no/such/file.groovy");
    }
}
