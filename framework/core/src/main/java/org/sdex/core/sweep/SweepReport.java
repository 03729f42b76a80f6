package org.sdex.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sdex.core.error.SdexException;
import org.sdex.core.plot.Plots;
import org.sdex.core.run.MetricsLog;
import org.sdex.core.run.RunDirectory;

/**
 * The table of a sweep: every point's swept settings and final metrics, sorted by one metric
 * (smaller first), as markdown and CSV, and a plot of a metric against a swept setting.
 *
 * <p>Metrics: {@code finalLoss} (the last logged training loss), {@code heldOutLoss} (the last
 * held-out loss), {@code nfe} (score evaluations per sample), {@code slicedWasserstein} (distance of
 * the samples to exact draws, where the data has an oracle), {@code fid}, {@code kid}, {@code kidSe}
 * and {@code fidBaseline} (an evaluate block's), {@code bitsPerDim}, {@code seconds} (training,
 * sampling, evaluation and likelihood time together).
 */
public final class SweepReport {
    public static final List<String> METRICS = List.of("slicedWasserstein", "fid", "kid", "kidSe", "fidBaseline", "heldOutLoss", "finalLoss", "bitsPerDim", "nfe", "seconds");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One point: its state, swept values (as written) and metrics. */
    public record Row(SweepPoint point, String state, Map<String, String> settings, Map<String, Double> metrics) {}

    private final List<String> keys;
    private final List<String> metrics;
    private final List<Row> rows;
    private final String sortedBy;

    private SweepReport(List<String> keys, List<String> metrics, List<Row> rows, String sortedBy) {
        this.keys = keys;
        this.metrics = metrics;
        this.rows = rows;
        this.sortedBy = sortedBy;
    }

    /** The report of a sweep sorted by {@code sortBy} (null: the first of {@link #METRICS} any point has). */
    public static SweepReport of(SweepDirectory sweep, String sortBy) {
        Set<String> keys = new LinkedHashSet<>();
        List<Row> rows = new ArrayList<>();
        for (SweepStatus.Row status : SweepStatus.of(sweep)) {
            SweepPoint p = status.point();
            Map<String, String> settings = new LinkedHashMap<>();
            for (String a : p.assignments()) settings.put(SweepPoint.key(a), SweepPoint.value(a));
            keys.addAll(settings.keySet());
            rows.add(new Row(p, status.state(), settings, metricsOf(sweep.pointDir(p))));
        }
        List<String> present = METRICS.stream().filter(m -> rows.stream().anyMatch(r -> r.metrics().containsKey(m))).toList();
        String sort = sortBy;
        if (sort == null) {
            sort = present.isEmpty() ? null : present.get(0);
        } else if (!METRICS.contains(sort)) {
            throw new SdexException("--sort: unknown metric '" + sortBy + "'. Accepted: " + String.join(", ", METRICS));
        }
        if (sort != null) {
            String s = sort;
            rows.sort(Comparator.comparing((Row r) -> r.metrics().getOrDefault(s, Double.NaN),
                    Comparator.comparing((Double d) -> d.isNaN()).thenComparing(Comparator.naturalOrder())));
        }
        return new SweepReport(List.copyOf(keys), present, rows, sort);
    }

    public List<Row> rows() { return rows; }

    public List<String> metrics() { return metrics; }

    public String sortedBy() { return sortedBy; }

    static Map<String, Double> metricsOf(Path run) {
        Map<String, Double> m = new LinkedHashMap<>();
        Path metricsFile = run.resolve("metrics.jsonl");
        if (Files.isRegularFile(metricsFile)) {
            for (JsonNode n : MetricsLog.read(metricsFile)) {
                String event = n.path("event").asText();
                if (event.equals("train") && n.has("loss")) m.put("finalLoss", n.get("loss").asDouble());
                if (event.equals("eval") && n.has("loss")) m.put("heldOutLoss", n.get("loss").asDouble());
            }
        }
        Path summaryFile = run.resolve("summary.json");
        if (Files.isRegularFile(summaryFile)) {
            JsonNode s;
            try {
                s = JSON.readTree(summaryFile.toFile());
            } catch (IOException e) {
                return m;
            }
            double seconds = 0;
            for (String stage : List.of("train", "sample", "evaluate", "likelihood")) {
                if (s.path(stage).has("seconds")) seconds += s.path(stage).get("seconds").asDouble();
            }
            if (s.path("sample").has("nfe")) m.put("nfe", s.path("sample").get("nfe").asDouble());
            if (s.path("sample").has("slicedWasserstein")) m.put("slicedWasserstein", s.path("sample").get("slicedWasserstein").asDouble());
            for (String key : List.of("fid", "kid", "kidSe", "fidBaseline")) {
                if (s.path("evaluate").has(key)) m.put(key, s.path("evaluate").get(key).asDouble());
            }
            if (s.path("likelihood").has("bitsPerDim")) m.put("bitsPerDim", s.path("likelihood").get("bitsPerDim").asDouble());
            m.put("seconds", seconds);
        }
        return m;
    }

    /** The table in markdown, sorted as the report is. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        List<String> header = header();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) sb.append(i < 2 + keys.size() ? "---|" : "---:|");
        sb.append('\n');
        for (Row r : rows) sb.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
        return sb.toString();
    }

    /** The same table as CSV (full precision). */
    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", header())).append('\n');
        for (Row r : rows) {
            List<String> c = new ArrayList<>();
            c.add(String.valueOf(r.point().index()));
            c.add(r.state());
            for (String k : keys) c.add(csvCell(r.settings().getOrDefault(k, "")));
            for (String m : metrics) {
                Double v = r.metrics().get(m);
                c.add(v == null ? "" : String.valueOf(v));
            }
            sb.append(String.join(",", c)).append('\n');
        }
        return sb.toString();
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("point", "state"));
        h.addAll(keys);
        h.addAll(metrics);
        return h;
    }

    private List<String> cells(Row r) {
        List<String> c = new ArrayList<>();
        c.add(r.point().folder());
        c.add(r.state());
        for (String k : keys) c.add(r.settings().getOrDefault(k, ""));
        for (String m : metrics) {
            Double v = r.metrics().get(m);
            c.add(v == null ? "" : m.equals("nfe") && v == Math.rint(v) ? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.4g", v));
        }
        return c;
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * Plots {@code metric} against the swept setting {@code x} (null: the first swept setting with
     * numbers), one line per combination of the other swept settings. False when there is nothing
     * to plot (no such metric yet, or no numeric setting).
     */
    public boolean plot(String metric, String x, Path file) {
        if (!metrics.contains(metric)) return false;
        String xKey = x;
        if (xKey == null) {
            xKey = keys.stream().filter(k -> rows.stream().allMatch(r -> number(r.settings().get(k)) != null)).findFirst().orElse(null);
            if (xKey == null) return false;
        } else if (!keys.contains(xKey)) {
            throw new SdexException("--x: '" + x + "' is not swept. Swept: " + String.join(", ", keys));
        }
        String xk = xKey;
        Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
        for (Row r : rows) {
            Double xv = number(r.settings().get(xk));
            Double yv = r.metrics().get(metric);
            if (xv == null || yv == null || !Double.isFinite(yv)) continue;
            List<String> others = new ArrayList<>();
            for (String k : keys) if (!k.equals(xk)) others.add(k + "=" + r.settings().get(k));
            bySeries.computeIfAbsent(String.join(", ", others), k -> new ArrayList<>()).add(new double[] {xv, yv});
        }
        if (bySeries.isEmpty()) return false;
        Map<String, double[][]> series = new LinkedHashMap<>();
        bySeries.forEach((name, pts) -> {
            pts.sort(Comparator.comparingDouble(p -> p[0]));
            double[][] xy = new double[2][pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                xy[0][i] = pts.get(i)[0];
                xy[1][i] = pts.get(i)[1];
            }
            series.put(name, xy);
        });
        Plots.lines(metric + " against " + xk, xk, metric, series, file);
        return true;
    }

    private static Double number(String text) {
        if (text == null) return null;
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Writes report.md, report.csv and (when there is something to plot) report.png into {@code dir}. */
    public List<Path> write(Path dir, String title, String plotMetric, String x) {
        List<Path> written = new ArrayList<>();
        String md = "# " + title + "\n\n" + rows.size() + " points"
                + (sortedBy != null ? ", sorted by " + sortedBy + " (smaller first)" : "") + ".\n\n" + markdown();
        Path png = dir.resolve("report.png");
        String metric = plotMetric != null ? plotMetric : sortedBy;
        if (metric != null && plotMetric != null && !METRICS.contains(plotMetric)) {
            throw new SdexException("--metric: unknown metric '" + plotMetric + "'. Accepted: " + String.join(", ", METRICS));
        }
        boolean plotted = metric != null && plot(metric, x, png);
        if (plotted) md += "\n![" + metric + "](report.png)\n";
        String text = md;
        RunDirectory.writeAtomically(dir.resolve("report.md"), tmp -> Files.writeString(tmp, text));
        written.add(dir.resolve("report.md"));
        RunDirectory.writeAtomically(dir.resolve("report.csv"), tmp -> Files.writeString(tmp, csv()));
        written.add(dir.resolve("report.csv"));
        if (plotted) written.add(png);
        return written;
    }
}
