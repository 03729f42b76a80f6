package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sdex.core.run.Durations;

/**
 * The few lines {@code sdex run} ends with: what was trained and how far, how it sampled, the
 * likelihood, and where the outputs are. Everything in full stays in the run's summary.json.
 */
final class RunReport {
    private RunReport() {}

    static List<String> lines(Map<String, Object> summary, Path runDir) {
        List<String> out = new ArrayList<>();
        String name = String.valueOf(summary.get("experiment"));
        if (summary.get("train") instanceof Map<?, ?> t) {
            out.add(String.format(Locale.ROOT, "%s: trained %,d parameters for %,d steps in %s; final loss %.4f", name,
                    num(t.get("parameters")).longValue(), num(t.get("steps")).longValue(),
                    Durations.show(num(t.get("seconds")).doubleValue()), num(t.get("finalLoss")).doubleValue()));
        }
        if (summary.get("sample") instanceof Map<?, ?> s) {
            String line = String.format(Locale.ROOT, "sampled %,d with %s in %s (%s score evaluations each)",
                    num(s.get("n")).longValue(), s.get("method"), Durations.show(num(s.get("seconds")).doubleValue()), s.get("nfe"));
            if (s.get("fractionInSupport") instanceof Number f) {
                line += String.format(Locale.ROOT, "; %.1f%% on the data's support", 100 * f.doubleValue());
            }
            if (Boolean.FALSE.equals(s.get("finite"))) line += "; WARNING: some samples are not finite";
            out.add(line);
        }
        if (summary.get("evaluate") instanceof Map<?, ?> e) {
            String line = String.format(Locale.ROOT, "evaluate: FID %.3f, KID %.4f ± %.4f (%d samples against %d reference images)",
                    num(e.get("fid")).doubleValue(), num(e.get("kid")).doubleValue(), num(e.get("kidSe")).doubleValue(),
                    num(e.get("n")).longValue(), num(e.get("nReference")).longValue());
            line += e.get("fidBaseline") instanceof Number b
                    ? String.format(Locale.ROOT, "; real images at the same sizes: FID %.3f, KID %.4f", b.doubleValue(), num(e.get("kidBaseline")).doubleValue())
                    : "; no real-vs-real baseline (" + e.get("baseline") + ")";
            out.add(line);
        }
        if (summary.get("inverse") instanceof Map<?, ?> v && v.get("psnr") instanceof Number psnr) {
            out.add(String.format(Locale.ROOT, "inverse problem: PSNR %.2f ± %.2f dB, SSIM %.3f ± %.3f (A+y baseline: %.2f dB, %.3f)",
                    psnr.doubleValue(), num(v.get("psnrSe")).doubleValue(), num(v.get("ssim")).doubleValue(), num(v.get("ssimSe")).doubleValue(),
                    num(v.get("baselinePsnr")).doubleValue(), num(v.get("baselineSsim")).doubleValue()));
        }
        if (summary.get("classes") instanceof Map<?, ?> c && c.get("accuracy") instanceof Number acc) {
            out.add(String.format(Locale.ROOT, "classes: %.1f%% of the samples judged the class asked for (%s)", 100 * acc.doubleValue(), c.get("judge")));
        }
        if (summary.get("likelihood") instanceof Map<?, ?> l) {
            if (l.get("bitsPerDim") instanceof Number b) {
                out.add(String.format(Locale.ROOT, "likelihood: %.3f ± %.3f bits/dim", b.doubleValue(), num(l.get("bitsPerDimStdErr")).doubleValue()));
            } else if (l.get("logp") instanceof Number lp) {
                String line = String.format(Locale.ROOT, "likelihood: log p %.3f ± %.3f nats", lp.doubleValue(), num(l.get("logpStdErr")).doubleValue());
                if (l.get("maeNats") instanceof Number mae) {
                    line += String.format(Locale.ROOT, " (closed form %.3f; mean abs error %.2g nats)", num(l.get("exactLogp")).doubleValue(), mae.doubleValue());
                }
                out.add(line);
            }
        }
        List<String> files = new ArrayList<>();
        for (String f : List.of("samples.png", "samples.npy", "strip.png", "classes.png", "reconstructions.npy", "inverse.csv", "loss.png",
                "likelihood.csv", "evaluate.json", "metrics.jsonl", "summary.json")) {
            if (Files.exists(runDir.resolve(f))) files.add(f);
        }
        for (String d : List.of("samples", "checkpoints", "tensorboard")) {
            if (Files.isDirectory(runDir.resolve(d))) files.add(d + "/");
        }
        // the directory last: scripts take it from the end of the output
        if (!files.isEmpty()) out.add("outputs: " + String.join(", ", files));
        out.add("run directory: " + runDir);
        return out;
    }

    private static Number num(Object o) { return o instanceof Number n ? n : Double.NaN; }
}
