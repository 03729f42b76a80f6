package org.sdex.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sdex.dsl.Validation.error;
import static org.sdex.dsl.Validation.plan;

import org.junit.jupiter.api.Test;
import org.sdex.spi.model.NetworkModel;

/** A class-conditional model needs labelled data with its number of classes; label dropout needs such a model. */
class ClassConditionalValidationTest {
    private static final String USE_LABELLED = "use labelled data (gmm, mnist, fashion, cifar10, image_folder with class folders)"
            + " or classes: 0";

    @Test
    void classesOnDataWithoutLabelsAreRefusedAtTheModelsLine() {
        assertThat(error("classes_without_labels.groovy")).isEqualTo("classes_without_labels.groovy:6: model 'mlp' has"
                + " classes: 4, but data 'checkerboard' has no class labels; " + USE_LABELLED);
        assertThat(error("good.groovy", "model.classes=4")).isEqualTo("--set model.classes=4: model 'mlp' has classes: 4,"
                + " but data 'checkerboard' has no class labels; " + USE_LABELLED);
    }

    @Test
    void classesMustBeTheDatasClasses() {
        // the default gmm has 8 components, its labels
        assertThat(error("good.groovy", "data=gmm", "model.classes=3")).isEqualTo("--set model.classes=3: model 'mlp' has"
                + " classes: 3, but data 'gmm' has 8 classes; set classes: 8");
        assertThat(((NetworkModel) plan("good.groovy", "data=gmm", "model.classes=8").built().model()).classes()).isEqualTo(8);
        assertThat(error("good.groovy", "model.classes=-1")).isEqualTo("--set model.classes=-1: model 'mlp' parameter 'classes'"
                + " must be an integer >= 0, got -1");
    }

    @Test
    void labelDropoutIsAProbabilityBelowOneOfClassConditionalTraining() {
        assertThat(error("good.groovy", "train.labelDropout=0.2")).isEqualTo("--set train.labelDropout=0.2: train setting"
                + " 'labelDropout' applies to class-conditional models; model 'mlp' has no classes (set classes: N in the model block)");
        assertThat(error("good.groovy", "data=gmm", "model.classes=8", "train.labelDropout=1")).isEqualTo(
                "--set train.labelDropout=1: train setting 'labelDropout' must be a number in [0, 1), got 1");
        assertThat(plan("good.groovy", "data=gmm", "model.classes=8", "train.labelDropout=0.5").train().labelDropout()).isEqualTo(0.5);
        assertThat(plan("good.groovy", "data=gmm", "model.classes=8").train().labelDropout()).isEqualTo(0.1);
    }
}
