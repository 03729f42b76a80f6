package org.sdex.core.plot;

import java.awt.Color;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.run.RunDirectory;

/** PNG plots (XChart): scatter plots of 2-D samples with square axes, and loss curves. */
public final class Plots {
    static {
        // plots are rendered off-screen; never try to open a display
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    public static void scatter(INDArray points, String title, Path file) {
        double[][] xy = points.castTo(DataType.DOUBLE).reshape(points.size(0), 2).toDoubleMatrix();
        double[] xs = new double[xy.length];
        double[] ys = new double[xy.length];
        double lim = 0;
        for (int i = 0; i < xy.length; i++) {
            xs[i] = xy[i][0];
            ys[i] = xy[i][1];
            if (Double.isFinite(xs[i])) lim = Math.max(lim, Math.abs(xs[i]));
            if (Double.isFinite(ys[i])) lim = Math.max(lim, Math.abs(ys[i]));
        }
        lim = lim == 0 ? 1 : lim * 1.05;
        XYChart chart = new XYChartBuilder().width(800).height(800).title(title)
                .xAxisTitle("x1 (data units)").yAxisTitle("x2 (data units)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(2);
        chart.getStyler().setXAxisMin(-lim).setXAxisMax(lim).setYAxisMin(-lim).setYAxisMax(lim);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        XYSeries s = chart.addSeries("samples", xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new Color(31, 119, 180, 90));
        savePng(chart, file);
    }

    /**
     * Line chart of the training loss, one point per logged step, titled with the run's name. A
     * loss spanning more than a factor of 3 is drawn on a log scale: log10 of the loss on a linear
     * axis whose tick labels are the loss values themselves (XChart's own log axis labels only
     * powers of ten, so a curve within one decade showed no values at all).
     */
    public static void loss(String run, double[] steps, double[] loss, Path file) {
        boolean log = allPositive(loss) && max(loss) > 3 * min(loss);
        XYChart chart = new XYChartBuilder().width(800).height(500).title(run + " — training loss")
                .xAxisTitle("training step").yAxisTitle("DSM loss, mean per log interval" + (log ? " (log scale)" : "")).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.setCustomXAxisTickLabelsFormatter(ticks(false));
        chart.setCustomYAxisTickLabelsFormatter(ticks(log));
        chart.addSeries("loss", steps, log ? log10(loss) : loss).setMarker(SeriesMarkers.NONE);
        savePng(chart, file);
    }

    /**
     * Tick labels that are values: on a log scale the axis carries log10 of the values, and its
     * labels undo that, so any range shows several readable values, not only powers of ten.
     */
    private static java.util.function.Function<Double, String> ticks(boolean log) {
        return log ? v -> value(Math.pow(10, v)) : Plots::value;
    }

    private static double[] log10(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.log10(v[i]);
        return out;
    }

    /** A tick label: three significant digits, no exponent for everyday magnitudes. */
    static String value(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(java.util.Locale.ROOT, "%.2e", v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static double min(double[] v) { return java.util.Arrays.stream(v).min().orElse(0); }

    private static double max(double[] v) { return java.util.Arrays.stream(v).max().orElse(0); }

    /**
     * One line per series of (x, y) points, e.g. a metric against a swept setting, one line per
     * value of the other swept settings; log axes where every value is positive and spans a decade.
     */
    public static void lines(String title, String xTitle, String yTitle, java.util.Map<String, double[][]> series, Path file) {
        java.util.List<Double> xs = new java.util.ArrayList<>();
        java.util.List<Double> ys = new java.util.ArrayList<>();
        series.values().forEach(xy -> {
            for (double v : xy[0]) xs.add(v);
            for (double v : xy[1]) ys.add(v);
        });
        boolean logX = spansDecade(xs);
        boolean logY = spansDecade(ys);
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
                .xAxisTitle(xTitle + (logX ? " (log scale)" : "")).yAxisTitle(yTitle + (logY ? " (log scale)" : "")).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.setCustomXAxisTickLabelsFormatter(ticks(logX));
        chart.setCustomYAxisTickLabelsFormatter(ticks(logY));
        series.forEach((name, xy) -> chart.addSeries(name.isEmpty() ? yTitle : name, logX ? log10(xy[0]) : xy[0],
                logY ? log10(xy[1]) : xy[1]).setMarker(SeriesMarkers.CIRCLE));
        savePng(chart, file);
    }

    private static boolean spansDecade(java.util.List<Double> v) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double d : v) {
            if (!(d > 0)) return false;
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        return hi >= 10 * lo;
    }

    private static void savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        RunDirectory.writeAtomically(file, tmp -> java.nio.file.Files.write(tmp, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
    }

    private static boolean allPositive(double[] v) {
        for (double d : v) if (!(d > 0)) return false;
        return v.length > 0;
    }
}
