package org.sdex.plugins.guides;

import java.util.List;
import java.util.Set;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.model.ConditionalScore;

/** {@code cfg}: classifier-free guidance, (1 + w) s(x, t, y) - w s(x, t) (Ho and Salimans 2022). */
public final class ClassifierFreeGuidancePlugin implements GuidePlugin {
    @Override public String name() { return "cfg"; }

    @Override public String description() { return "classifier-free guidance: (1 + w) conditional score - w unconditional score"; }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("w", 1.0, "guidance weight (0: the conditional score alone, one evaluation)").min(0));
    }

    @Override public Set<GuideNeed> needs(Params params) { return Set.of(GuideNeed.LABELS, GuideNeed.CONDITIONAL_SCORE); }

    @Override public int evaluationsPerScore(Params params) { return params.real("w") == 0 ? 1 : 2; }

    @Override
    public Guide create(Params params, GuideContext context) {
        double w = params.real("w");
        return new ClassifierGuidancePlugin.LabelGuide(context, (labels, score) -> {
            ConditionalScore conditional = (ConditionalScore) score;
            if (w == 0) return (x, t) -> conditional.score(x, t, labels);
            return (x, t) -> conditional.score(x, t, labels).muli(1 + w).subi(score.score(x, t).muli(w));
        });
    }
}
