package org.sdex.core.sample;

import java.util.Arrays;
import org.sdex.core.plugin.Resolved;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.guide.Measurement;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.operator.LinearOperator;

/**
 * The checks a guided run passes before any compute: the combination of guide and sampling way,
 * and each of the guide's declared {@link GuideNeed}s against what the run provides. Whoever builds
 * a guided run (the DSL's guide block, a bench, a test) calls {@link #unsupported} and reports its
 * one line at the script line that chose the guide.
 */
public final class GuidedSampling {
    private GuidedSampling() {}

    static final String NO_HOOK_ON_ODE = "a guide that constrains the state after each step cannot run on the"
            + " probability-flow ODE (an ODE solver has no steps to constrain); use a predictor-corrector way or a solver";

    /**
     * What a run's score can do for a guide: give input vector-Jacobian products, and scores given a
     * class (of {@code classes} classes; 0: none). Known before the score exists (a network's at
     * validation), so a guided run is checked before any compute.
     */
    public record ScoreCapabilities(boolean inputVjp, int classes) {
        /** The capabilities of a score that exists. */
        public static ScoreCapabilities of(ScoreFunction score) {
            return new ScoreCapabilities(score instanceof DifferentiableScore, score instanceof ConditionalScore c ? c.classes() : 0);
        }
    }

    /** Why {@code guide} cannot steer {@code method} with this score and context, or null when it can. */
    public static String unsupported(Resolved<GuidePlugin> guide, SamplingMethod method, ScoreFunction score, GuideContext ctx) {
        return unsupported(guide, method, ScoreCapabilities.of(score), ctx);
    }

    /** Why {@code guide} cannot steer {@code method} with a score of these capabilities and this context, or null when it can. */
    public static String unsupported(Resolved<GuidePlugin> guide, SamplingMethod method, ScoreCapabilities score, GuideContext ctx) {
        String who = "guide '" + guide.name() + "'";
        if (guide.plugin().projects(guide.params()) && method instanceof SamplingMethod.ProbabilityFlowOde ode) {
            return who + " puts back the known part after each step, which ode '" + ode.solver().name()
                    + "' has no steps for; use a predictor-corrector way or a solver";
        }
        for (GuideNeed need : guide.plugin().needs(guide.params())) {
            String missing = switch (need) {
                case MEASUREMENT -> ctx.measurement() == null ? "" : measurementProblem(ctx);
                case SVD -> ctx.measurement() == null || !(ctx.measurement().operator() instanceof LinearOperator l) || l.svd().isEmpty()
                        ? "" : null;
                case LABELS -> ctx.labels() == null || ctx.labels().length == 0 ? "" : null;
                case CLASSIFIER -> ctx.classifier() == null ? "" : labelProblem(ctx, ctx.classifier().classes());
                case SCORE_VJP -> score.inputVjp() ? null : "";
                case CONDITIONAL_SCORE -> score.classes() > 0 ? labelProblem(ctx, score.classes()) : "";
            };
            if (missing != null) return who + " needs " + need.description() + (missing.isEmpty() ? "" : ": " + missing);
        }
        return null;
    }

    private static String measurementProblem(GuideContext ctx) {
        Measurement m = ctx.measurement();
        long[] in = m.operator().inputShape(), out = m.operator().outputShape();
        if (!Arrays.equals(in, ctx.exampleShape())) {
            return "the operator takes examples of shape " + Arrays.toString(in) + ", the data has " + Arrays.toString(ctx.exampleShape());
        }
        long[] y = m.observations().shape();
        if (!Arrays.equals(Arrays.copyOfRange(y, 1, y.length), out)) {
            return "observations of shape [n" + Arrays.toString(out).replace("[", ", ") + " expected, got " + Arrays.toString(y);
        }
        return null;
    }

    private static String labelProblem(GuideContext ctx, int classes) {
        if (ctx.labels() == null) return null;
        for (int l : ctx.labels()) {
            if (l < 0 || l >= classes) return "labels must be in [0, " + classes + "), got " + l;
        }
        return null;
    }
}
