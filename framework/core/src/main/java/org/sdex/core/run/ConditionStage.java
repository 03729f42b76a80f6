package org.sdex.core.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.plot.ImageGrid;
import org.sdex.core.quality.ImageQuality;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.guide.Measurement;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * What a conditioned draw reports beside the samples. An inverse problem: reconstructions.npy,
 * observations.npy, strip.png (per image: the observation seen through A⁺, the A⁺y baseline when it
 * differs, the reconstruction, the ground truth), inverse.csv (per example: PSNR and SSIM for images,
 * RMSE otherwise, of the reconstruction and of the A⁺y baseline, and the residual ‖y − A(x)‖), and
 * their means with standard errors in metrics.jsonl ({@code inverse}). Class-conditional sampling:
 * classes.png (a row per label) and the accuracy of the samples against their labels, judged by a
 * clean classifier or, for a Gaussian mixture, by the most likely component ({@code classes}).
 */
final class ConditionStage {
    private ConditionStage() {}

    /** Rows per pass of the judging classifier. */
    private static final int JUDGE_BATCH = 256;

    static void report(Conditioning c, INDArray samples, Dataset data, RunDirectory dir, MetricsLog metrics, Map<String, Object> summary) {
        if (c.measurement() != null) inverse(c, samples.castTo(DataType.FLOAT), data, dir, metrics, summary);
        if (c.labels() != null) classes(c, samples, data, dir, metrics, summary);
    }

    private static void inverse(Conditioning c, INDArray x, Dataset data, RunDirectory dir, MetricsLog metrics, Map<String, Object> summary) {
        Measurement m = c.measurement();
        Npy.write(x, dir.resolve("reconstructions.npy"));
        Npy.write(m.observations(), dir.resolve("observations.npy"));
        INDArray y = m.rows(0, (int) x.size(0));
        INDArray baseline = m.operator() instanceof LinearOperator l ? l.pseudoInverse(y) : null;
        double[] residual = residuals(y, m.operator().forward(x));
        boolean images = x.rank() == 4 && data.pixels().isPresent();
        Map<String, double[]> columns = new LinkedHashMap<>();
        if (c.truth() != null && images) {
            PixelRange range = data.pixels().get();
            INDArray truth = unit(c.truth(), range), recon = unit(x, range);
            // SSIM's 11x11 window does not fit smaller images (an image_folder's size may be anything): PSNR only
            boolean ssim = ImageQuality.ssimFits(x.size(2), x.size(3));
            columns.put("psnr", ImageQuality.psnr(recon, truth));
            if (ssim) columns.put("ssim", ImageQuality.ssim(recon, truth));
            if (baseline != null) {
                columns.put("baselinePsnr", ImageQuality.psnr(unit(baseline, range), truth));
                if (ssim) columns.put("baselineSsim", ImageQuality.ssim(unit(baseline, range), truth));
            }
        } else if (c.truth() != null) {
            columns.put("rmse", rmse(x, c.truth()));
            if (baseline != null) columns.put("baselineRmse", rmse(baseline, c.truth()));
        }
        columns.put("residual", residual);
        if (baseline != null) columns.put("baselineResidual", residuals(y, m.operator().forward(baseline)));
        writeCsv(dir, columns, (int) x.size(0));

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("n", x.size(0));
        fields.put("noise", m.noise());
        // the residual of the true image, about: sigma_y * sqrt(rank of A)
        fields.put("noiseResidual", m.noise() * Math.sqrt(rank(m, y)));
        columns.forEach((name, values) -> {
            fields.put(name, mean(values));
            fields.put(name + "Se", standardError(values));
        });
        metrics.write("inverse", fields);
        summary.put("inverse", fields);
        if (images) strip(x, baseline, y, c, data.pixels().get(), dir);
    }

    /** Per example: the observation through A⁺ (or y itself when it has the image's shape), the baseline, the reconstruction, the truth. */
    private static void strip(INDArray x, INDArray baseline, INDArray y, Conditioning c, PixelRange range, RunDirectory dir) {
        long shown = Math.min(x.size(0), 16);
        boolean yIsImage = java.util.Arrays.equals(y.shape(), x.shape());
        INDArray observed = baseline != null ? baseline : yIsImage ? y : null;
        List<INDArray> parts = new java.util.ArrayList<>();
        for (INDArray a : new INDArray[] {observed, x, c.truth()}) if (a != null) parts.add(a);
        int columns = parts.size();
        long[] shape = x.shape().clone();
        shape[0] = shown * columns;
        INDArray grid = Nd4j.create(DataType.FLOAT, shape);
        for (int i = 0; i < shown; i++) {
            for (int j = 0; j < columns; j++) grid.get(NDArrayIndex.point((long) i * columns + j)).assign(parts.get(j).get(NDArrayIndex.point(i)));
        }
        ImageGrid.write(grid, columns, range, dir.resolve("strip.png"));
    }

    private static void classes(Conditioning c, INDArray samples, Dataset data, RunDirectory dir, MetricsLog metrics, Map<String, Object> summary) {
        int[] labels = c.labels();
        int perLabel = c.settings().n();
        if (samples.rank() == 4 && data.pixels().isPresent()) {
            INDArray shown = samples.get(NDArrayIndex.interval(0, labels.length));
            ImageGrid.write(shown, perLabel, data.pixels().get(), dir.resolve("classes.png"));
        }
        int[] predicted = null;
        String judge = null;
        if (c.judge() != null) {
            predicted = new int[labels.length];
            for (int start = 0; start < labels.length; start += JUDGE_BATCH) {
                int end = Math.min(labels.length, start + JUDGE_BATCH);
                INDArray logits = c.judge().logits(samples.get(NDArrayIndex.interval(start, end)).castTo(c.judge().dataType()), 0.0);
                INDArray best = logits.argMax(1);
                for (int i = start; i < end; i++) predicted[i] = best.getInt(i - start);
            }
            judge = c.settings().judge();
        } else if (data.mixture().isPresent()) {
            double[][] r = new GaussianMixture(data.mixture().get()).responsibilities(samples.castTo(DataType.DOUBLE));
            predicted = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int k = 1; k < r[i].length; k++) if (r[i][k] > r[i][best]) best = k;
                predicted[i] = best;
            }
            judge = "most likely mixture component";
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("labels", c.settings().labels());
        fields.put("perLabel", perLabel);
        if (predicted != null) {
            Map<String, Double> perClass = new LinkedHashMap<>();
            int right = 0;
            for (int label : c.settings().labels()) {
                int hit = 0, seen = 0;
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] != label) continue;
                    seen++;
                    if (predicted[i] == label) hit++;
                }
                perClass.put(Integer.toString(label), (double) hit / seen);
                right += hit;
            }
            fields.put("judge", judge);
            fields.put("accuracy", (double) right / labels.length);
            fields.put("accuracyByLabel", perClass);
        }
        metrics.write("classes", fields);
        summary.put("classes", fields);
    }

    /** Non-zero singular values of a linear A with an SVD, else the size of one measurement. */
    private static long rank(Measurement m, INDArray y) {
        if (m.operator() instanceof LinearOperator l && l.svd().isPresent()) {
            return java.util.Arrays.stream(l.svd().get().singularValues()).filter(v -> v > 1e-6).count();
        }
        return y.length() / y.size(0);
    }

    private static INDArray unit(INDArray images, PixelRange range) {
        return range == PixelRange.UNIT ? images : images.castTo(DataType.DOUBLE).add(1).divi(2);
    }

    private static double[] residuals(INDArray y, INDArray ax) {
        INDArray d = y.castTo(DataType.DOUBLE).sub(ax.castTo(DataType.DOUBLE)).reshape('c', new long[] {y.size(0), -1});
        double[] out = new double[(int) y.size(0)];
        for (int i = 0; i < out.length; i++) out[i] = d.getRow(i).norm2Number().doubleValue();
        return out;
    }

    private static double[] rmse(INDArray x, INDArray truth) {
        double[] r = residuals(x, truth);
        double dims = x.length() / (double) x.size(0);
        for (int i = 0; i < r.length; i++) r[i] /= Math.sqrt(dims);
        return r;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    static double standardError(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), ss = 0;
        for (double d : v) ss += (d - m) * (d - m);
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }

    private static void writeCsv(RunDirectory dir, Map<String, double[]> columns, int n) {
        StringBuilder sb = new StringBuilder("index," + String.join(",", columns.keySet()) + "\n");
        for (int i = 0; i < n; i++) {
            sb.append(i);
            for (double[] v : columns.values()) sb.append(',').append(String.format(Locale.ROOT, "%.6g", v[i]));
            sb.append('\n');
        }
        dir.writeString("inverse.csv", sb.toString());
    }
}
