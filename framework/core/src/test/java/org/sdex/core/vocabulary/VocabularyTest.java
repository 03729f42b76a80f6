package org.sdex.core.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.LikelihoodSettings;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.config.TrainSettings;
import org.sdex.spi.Param;
import org.sdex.spi.Params;

/** The one description of the DSL's blocks: settings reach typed records, and messages name the setting and what it accepts. */
class VocabularyTest {
    private static final SourceLocation LINE = new SourceLocation("exp.groovy", 7);

    private static List<String> names(List<Param> params) { return params.stream().map(Param::name).toList(); }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    @Test
    void eachBlockRecordHasExactlyOneComponentPerSettingInTheVocabularysOrder() {
        assertThat(components(TrainSettings.class)).isEqualTo(names(Vocabulary.TRAIN.settings()));
        assertThat(components(SampleSettings.class)).isEqualTo(names(Vocabulary.SAMPLE.settings()));
        assertThat(components(LikelihoodSettings.class)).isEqualTo(names(Vocabulary.LIKELIHOOD.settings()));
    }

    @Test
    void valuesAsWrittenReachTheRecordWithDefaultsAndTheExperimentSeed() {
        Section s = new Section();
        s.set("steps", 20, LINE);
        s.set("lr", 3e-3, LINE);
        s.set("lrDecay", "cosine", LINE);
        TrainSettings t = TrainSettings.from(Vocabulary.TRAIN.read(s, 41));
        assertThat(t.steps()).isEqualTo(20);
        assertThat(t.lr()).isEqualTo(3e-3);
        assertThat(t.lrDecay()).isEqualTo("cosine");
        assertThat(t.batchSize()).isEqualTo(128);
        assertThat(t.ema()).isEqualTo(0.9999);
        assertThat(t.seed()).isEqualTo(41);
        s.set("seed", 5, LINE);
        assertThat(TrainSettings.from(Vocabulary.TRAIN.read(s, 41)).seed()).isEqualTo(5);
    }

    @Test
    void aRangeIsTheValidatorsAndATypeEveryonesWithOneWording() {
        // the script only checks the type: --set may still replace an out-of-range value
        Vocabulary.TRAIN.checkType("lr", -1, LINE);
        assertThatThrownBy(() -> Vocabulary.TRAIN.checkType("steps", "many", LINE))
                .isInstanceOf(ConfigException.class).hasMessage("exp.groovy:7: train setting 'steps' must be an integer, got 'many'");
        Section s = new Section();
        s.set("lr", -1, LINE);
        assertThatThrownBy(() -> Vocabulary.TRAIN.read(s, 0))
                .hasMessage("exp.groovy:7: train setting 'lr' must be a number > 0, got -1");
        assertThatThrownBy(() -> Vocabulary.EXPERIMENT.checkValue("seed", -3L, LINE))
                .hasMessage("exp.groovy:7: seed must be an integer >= 0, got -3");
    }

    @Test
    void anUnknownNameListsSettingsThenPluginKeywords() {
        Section s = new Section();
        s.set("lr", 1e-3, LINE);
        assertThatThrownBy(() -> Vocabulary.SAMPLE.read(s, 0)).hasMessage("exp.groovy:7: unknown setting 'lr' in sample. Accepted: "
                + String.join(", ", names(Vocabulary.SAMPLE.settings())) + ", predictor, corrector, ode, solver");
    }

    @Test
    void aBlocksDefaultPluginIsChosenWhenTheScriptChoosesNone() {
        Section s = new Section();
        s.location = LINE;
        assertThat(Vocabulary.SAMPLE.chosen(s, "predictor").name).isEqualTo("euler_maruyama");
        assertThat(Vocabulary.SAMPLE.chosen(s, "corrector").name).isEqualTo("none");
        assertThat(Vocabulary.SAMPLE.chosen(s, "solver")).isNull();
        assertThat(Vocabulary.LIKELIHOOD.chosen(s, "ode").name).isEqualTo("rk45");
    }

    @Test
    void kernelSettingsAmongAPluginsParametersAreTakenOutAndChecked() {
        PluginRef model = new PluginRef("mlp", Map.of("hidden", List.of(8), "init", "run", "weights", "model"), LINE);
        Params own = Vocabulary.EXPERIMENT.plugin("model").takeSettings(model);
        assertThat(own.string("init")).isEqualTo("run");
        assertThat(own.string("weights")).isEqualTo("model");
        assertThat(model.params).containsOnlyKeys("hidden");
        PluginRef wrong = new PluginRef("mlp", Map.of("weights", "best"), LINE);
        assertThatThrownBy(() -> Vocabulary.EXPERIMENT.plugin("model").takeSettings(wrong))
                .hasMessage("exp.groovy:7: model setting 'weights' must be ema, model, got 'best'");
    }
}
