package org.sdex.core.run;

import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.EvaluateSettings;
import org.sdex.core.evaluate.ImageMetrics;
import org.sdex.core.evaluate.SampleEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code evaluate} block of a run: FID and KID of the samples against the reference split, with
 * the real-vs-real baseline at the same sizes, into metrics.jsonl ({@code evaluate}), evaluate.json
 * and the summary (which sweep reports read).
 */
final class EvaluateStage {
    private static final Logger log = LoggerFactory.getLogger(EvaluateStage.class);

    private EvaluateStage() {}

    static void run(ExperimentPlan plan, INDArray samples, RunDirectory dir, MetricsLog metrics, Map<String, Object> summary,
                    RunOptions options) {
        EvaluateSettings s = plan.evaluate().settings();
        SampleEvaluation evaluation = new SampleEvaluation(plan.evaluate().features(), ImageMetrics.find(),
                plan.built().split(s.split()), plan.built().split(s.baselineSplit()), s);
        long start = System.nanoTime();
        SampleEvaluation.Result r;
        try (Progress bar = Progress.start("evaluate", 1, options.progress())) {
            r = evaluation.evaluate(samples);
            bar.stepTo(1);
        }
        Map<String, Object> m = SampleEvaluation.toMap(r, plan.evaluate().features(), s);
        m.put("seconds", (System.nanoTime() - start) / 1e9);
        metrics.write("evaluate", m);
        summary.put("evaluate", m);
        ExperimentRunner.writeJson(dir, "evaluate.json", m);
        log.info("FID {} and KID {} ± {} of {} samples against {} {} images; real {} images: FID {}", fmt(r.samples().fid()),
                fmt(r.samples().kid().mean()), fmt(r.samples().kid().standardError()), r.samples().n(), r.samples().nReference(),
                s.split(), s.baselineSplit(), r.baseline() == null ? "n/a" : fmt(r.baseline().fid()));
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
