package org.sdex.core.run;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.config.LikelihoodSettings;
import org.sdex.core.error.SdexException;
import org.sdex.core.likelihood.BitsPerDim;
import org.sdex.core.likelihood.Divergence;
import org.sdex.core.likelihood.LatentCodec;
import org.sdex.core.likelihood.ProbabilityFlowLikelihood;
import org.sdex.core.plot.ImageGrid;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code likelihood} block of a run: log-likelihoods through the probability-flow ODE of the
 * chosen points (the split of a finite data set, fresh draws of a distribution, or {@code --points}),
 * bits/dim with dequantization for 8-bit images, the closed-form error when the data is a Gaussian
 * mixture, the encode/decode round trip and an interpolation strip. Writes likelihood.npy and .csv.
 */
final class LikelihoodStage {
    private static final Logger log = LoggerFactory.getLogger(LikelihoodStage.class);

    private LikelihoodStage() {}

    static void run(ExperimentPlan plan, Sde sde, Dataset trainData, Dataset evalData, DifferentiableScore score,
                    RunOptions options, RunDirectory dir, MetricsLog metrics, Map<String, Object> summary) {
        LikelihoodSettings s = plan.likelihood().settings();
        INDArray points = points(s, trainData, evalData, options);
        long n = points.size(0);
        long dims = points.length() / n;
        String trace = s.traceFor(dims);
        Divergence divergence = trace.equals("exact") ? Divergence.exact()
                : Divergence.hutchinson(Divergence.Probe.valueOf(s.probes().toUpperCase(Locale.ROOT)), s.k());
        OdeSolver solver = plan.likelihood().solver();
        ProbabilityFlowLikelihood flow = new ProbabilityFlowLikelihood(sde, score, divergence, solver, s.eps());
        Optional<PixelRange> pixels = options.points() == null ? evalData.pixels() : Optional.empty();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points", n);
        m.put("source", options.points() != null ? options.points().toString()
                : evalData.size().isPresent() ? s.split() + " split" : "draws of the data distribution");
        m.put("trace", trace + (trace.equals("hutchinson") ? " (" + s.probes() + ", k=" + s.k() + ")" : ""));
        m.put("ode", plan.likelihood().ode().name());
        m.put("eps", s.eps());
        long start = System.nanoTime();
        INDArray table;
        String header;
        try (Progress bar = Progress.start("likelihood", 1, options.progress())) {
            if (pixels.isPresent()) {
                // 8-bit images: model-space examples back to k/255, dequantized `repeats` times
                BitsPerDim.Scaling scaling = pixels.get() == PixelRange.CENTERED ? BitsPerDim.Scaling.CENTERED : BitsPerDim.Scaling.UNIT;
                INDArray unit = pixels.get() == PixelRange.CENTERED ? points.castTo(DataType.DOUBLE).add(1).divi(2) : points;
                long[] nfe = {0, 0};
                BitsPerDim.Estimate e = BitsPerDim.evaluate(unit, scaling, (x, rng) -> {
                    ProbabilityFlowLikelihood.Result r = flow.logLikelihood(x, rng);
                    nfe[0] += r.nfeMax();
                    nfe[1]++;
                    return r.logp();
                }, s.repeats(), s.batchSize(), s.seed());
                m.put("bitsPerDim", e.mean());
                m.put("bitsPerDimStdErr", e.standardError());
                m.put("repeats", s.repeats());
                m.put("nfe", (double) nfe[0] / nfe[1]);
                INDArray logp = e.perPoint().sub(scaling.offset()).muli(-dims * Math.log(2));
                table = Nd4j.concat(1, logp.reshape(n, 1), e.perPoint().reshape(n, 1));
                header = "index,logp_nats,bits_per_dim";
                log.info("bits/dim {} ± {} over {} images ({} dequantization draws)", fmt(e.mean()), fmt(e.standardError()), n, s.repeats());
            } else {
                ProbabilityFlowLikelihood.Result r = flow.logLikelihood(points, s.batchSize(), s.seed());
                INDArray logp = r.logp();
                double mean = logp.meanNumber().doubleValue();
                double se = n < 2 ? Double.NaN : logp.stdNumber().doubleValue() / Math.sqrt(n);
                m.put("logp", mean);
                m.put("logpStdErr", se);
                m.put("nfe", r.nfe());
                m.put("nfeMax", r.nfeMax());
                Optional<GaussianMixture> mixture = trainData.mixture().map(GaussianMixture::new);
                if (mixture.isPresent()) {
                    // the oracle: the closed-form density of the mixture pushed to time eps. The ODE
                    // carries p_eps onto the true p_T, so with log p_T in closed form in place of the
                    // prior the difference is the integration error alone; the prior's own mismatch
                    // with p_T is reported separately (it is part of the model's likelihood)
                    INDArray exact = mixture.get().at(sde, s.eps()).logDensity(points.castTo(DataType.DOUBLE)).castTo(DataType.DOUBLE);
                    INDArray viaTrueTerminal = mixture.get().at(sde, sde.T()).logDensity(r.latent()).castTo(DataType.DOUBLE)
                            .addi(r.deltaLogp());
                    double mae = viaTrueTerminal.sub(exact).norm1Number().doubleValue() / n;
                    m.put("exactLogp", exact.meanNumber().doubleValue());
                    m.put("maeNats", mae);
                    m.put("priorGapNats", logp.sub(viaTrueTerminal).meanNumber().doubleValue());
                    table = Nd4j.concat(1, logp.reshape(n, 1), exact.reshape(n, 1));
                    header = "index,logp_nats,exact_logp_nats";
                    log.info("log-likelihood {} ± {} nats (closed form {}; mean abs error {} nats)", fmt(mean), fmt(se),
                            fmt(exact.meanNumber().doubleValue()), String.format(Locale.ROOT, "%.2e", mae));
                } else {
                    table = logp.reshape(n, 1);
                    header = "index,logp_nats";
                    log.info("log-likelihood {} ± {} nats over {} points", fmt(mean), fmt(se), n);
                }
            }
            bar.stepTo(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        m.put("seconds", seconds);
        m.put("secondsPerPoint", seconds / n / (pixels.isPresent() ? s.repeats() : 1));
        Npy.write(table, dir.resolve("likelihood.npy"));
        writeCsv(dir, header, table);

        if (s.roundTrip() || s.interpolate() > 0) {
            LatentCodec codec = new LatentCodec(sde, score, solver, s.eps());
            INDArray some = points.get(NDArrayIndex.interval(0, Math.min(n, s.batchSize()))).dup();
            if (s.roundTrip()) {
                LatentCodec.RoundTrip rt = codec.roundTrip(some);
                m.put("roundTripPoints", some.size(0));
                m.put("roundTripMeanRelError", rt.meanRelativeError());
                m.put("roundTripMaxRelError", rt.maxRelativeError());
                m.put("roundTripNfe", rt.nfe());
                Npy.write(rt.latent(), dir.resolve("latents.npy"));
                log.info("encode/decode round trip: mean relative error {} over {} points", String.format(Locale.ROOT, "%.2e",
                        rt.meanRelativeError()), some.size(0));
            }
            if (s.interpolate() > 0) interpolate(codec, some, s.interpolate(), pixels, dir, m);
        }
        metrics.write("likelihood", m);
        summary.put("likelihood", m);
    }

    /** Decodes the great circle between the latents of the first two points; an image strip for images. */
    private static void interpolate(LatentCodec codec, INDArray some, int frames, Optional<PixelRange> pixels,
                                    RunDirectory dir, Map<String, Object> m) {
        if (some.size(0) < 2 || frames < 2) {
            log.warn("interpolation needs two points and at least 2 frames; skipped");
            return;
        }
        INDArray ends = codec.encode(some.get(NDArrayIndex.interval(0, 2)).dup()).value();
        INDArray path = LatentCodec.interpolate(ends.get(NDArrayIndex.point(0)), ends.get(NDArrayIndex.point(1)), frames);
        long[] shape = some.shape().clone();
        shape[0] = frames;
        INDArray decoded = codec.decode(path.reshape(shape)).value();
        Npy.write(decoded, dir.resolve("interpolation.npy"));
        if (pixels.isPresent() && decoded.rank() == 4) {
            ImageGrid.write(decoded, frames, pixels.get(), dir.resolve("interpolation.png"));
        }
        m.put("interpolationFrames", frames);
    }

    /** The points to evaluate, [n, shape...]. */
    private static INDArray points(LikelihoodSettings s, Dataset trainData, Dataset evalData, RunOptions options) {
        if (options.points() != null) return points(options.points(), trainData);
        if (evalData.size().isPresent()) {
            long size = evalData.size().getAsLong();
            int n = (int) (s.n() == 0 ? size : Math.min(s.n(), size));
            return evalData.examples(0, n);
        }
        return evalData.sample(s.n(), new Rng(s.seed()).fork(0x11CE11L)).castTo(DataType.DOUBLE);
    }

    private static void writeCsv(RunDirectory dir, String header, INDArray table) {
        double[][] rows = table.castTo(DataType.DOUBLE).toDoubleMatrix();
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (int i = 0; i < rows.length; i++) {
            sb.append(i);
            for (double v : rows[i]) sb.append(',').append(v);
            sb.append('\n');
        }
        dir.writeString("likelihood.csv", sb.toString());
    }

    /** Points from an .npy file, checked: a valid file of [N, the data's shape] (the runner checks them before the run starts). */
    static INDArray points(java.nio.file.Path file, Dataset trainData) {
        INDArray p = Npy.read(file);
        long[] expected = trainData.shape();
        long[] got = Arrays.copyOfRange(p.shape(), 1, p.rank());
        if (p.rank() < 2 || !Arrays.equals(expected, got)) {
            throw new SdexException("--points " + file + ": expected points of shape [N, "
                    + Arrays.toString(expected).replaceAll("[\\[\\]]", "") + "], got " + Arrays.toString(p.shape()));
        }
        return p.castTo(DataType.DOUBLE);
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4f", v); }
}
