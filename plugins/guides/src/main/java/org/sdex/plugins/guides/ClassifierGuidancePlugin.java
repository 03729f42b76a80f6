package org.sdex.plugins.guides;

import java.util.List;
import java.util.Set;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.guide.NoisyClassifier;
import org.sdex.spi.model.ScoreFunction;

/** {@code classifier}: classifier guidance, score + scale ∇ₓ log p_t(y | x) from a noise-conditional classifier (Song et al. 2021, Sec. 5 and Eq. 49; Dhariwal and Nichol 2021). */
public final class ClassifierGuidancePlugin implements GuidePlugin {
    @Override public String name() { return "classifier"; }

    @Override public String description() { return "class-conditional sampling: score + scale * grad log p_t(label | x) of a noise-conditional classifier"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("scale", 1.0, "guidance scale s (1: the exact conditional score; larger: sharper classes)").min(0));
    }

    @Override public Set<GuideNeed> needs(Params params) { return Set.of(GuideNeed.LABELS, GuideNeed.CLASSIFIER); }

    @Override
    public Guide create(Params params, GuideContext context) {
        return new LabelGuide(context, (labels, score) -> {
            NoisyClassifier classifier = context.classifier();
            double scale = params.real("scale");
            return (x, t) -> score.score(x, t).addi(classifier.gradLogProbability(x, t, labels).castTo(x.dataType()).muli(scale));
        });
    }

    /** A guide whose score depends on the labels of its batch. */
    static final class LabelGuide implements Guide {
        interface Scores {
            ScoreFunction guided(int[] labels, ScoreFunction score);
        }

        private final GuideContext context;
        private final Scores scores;
        private final int[] labels;

        LabelGuide(GuideContext context, Scores scores) { this(context, scores, null); }

        private LabelGuide(GuideContext context, Scores scores, int[] labels) {
            this.context = context;
            this.scores = scores;
            this.labels = labels;
        }

        @Override public Guide rows(long first, int count) { return new LabelGuide(context, scores, context.labels(first, count)); }

        @Override
        public ScoreFunction score(ScoreFunction unconditional) {
            if (labels == null) throw new IllegalStateException("ask for the guide of a batch (rows) first");
            return scores.guided(labels, unconditional);
        }
    }
}
