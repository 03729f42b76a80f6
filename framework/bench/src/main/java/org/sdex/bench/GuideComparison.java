package org.sdex.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.sample.GuidedSampling;
import org.sdex.core.sample.Sampler;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.guide.Measurement;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.ModeWeights;
import org.sdex.toolkit.oracle.MixtureClassifier;
import org.sdex.toolkit.oracle.MixturePosterior;
import org.sdex.toolkit.oracle.SlicedWasserstein;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/**
 * Posterior quality against cost for every guide on inverse problems of Gaussian mixtures, where the
 * posterior is known: for a linear operator and Gaussian noise it is a mixture again
 * ({@link MixturePosterior}); for the non-linear {@code magnitude} in 2-D it is drawn by importance
 * resampling of many prior draws; for a label it is that component. Each guide is driven by the
 * exact score (and the exact classifier), so the gap to the floor is the guide's approximation plus
 * the sampler's discretisation; the unguided sampler is the worst case. Writes a Markdown report
 * ({@code sdex bench guides}).
 */
public final class GuideComparison {
    private static final int PROJECTIONS = 64;
    private static final double EPS = 1e-3;

    /** The example shape of the 6-D tasks: a 3-channel image of 1 x 2 pixels (so colorize and superres apply). */
    public static final long[] SHAPE_6D = {3, 1, 2};

    /**
     * The 6-D mixture of the samplers bench turned by a fixed random rotation, the mixture the 6-D tasks see as
     * {@link #SHAPE_6D}. Its means are 2.5 cos(2πk/3 + i) in coordinate i; read as [3, 1, 2] directly, a pixel's
     * channels are coordinates p, p + 2, p + 4, whose cosines nearly cancel (|1 + e^2i + e^4i| / 3 = 0.056), so the
     * gray value hardly tells the components apart and colorize measured the guides' handling of weak evidence
     * instead of colorization. Turned, no operator lines up with the cosines; the SDEs and the samplers' noise are
     * isotropic, so the samplers' task is the same.
     */
    public static final GaussianMixture MIXTURE_6D_IMAGE = rotated(SamplerComparison.MIXTURE_6D, 1);

    private final PluginRegistry registry;
    private final int n;
    private final Consumer<String> progress;

    public GuideComparison(PluginRegistry registry, int n, Consumer<String> progress) {
        this.registry = registry;
        this.n = n;
        this.progress = progress;
    }

    /** An inverse problem: a guide with its parameters and either an operator with its parameters and noise, or a label. */
    public record Task(String guide, Map<String, ?> guideParams, String operator, Map<String, ?> operatorParams, double noise, int label) {
        public static Task measured(String guide, Map<String, ?> guideParams, String operator, Map<String, ?> operatorParams, double noise) {
            return new Task(guide, guideParams, operator, operatorParams, noise, -1);
        }

        public static Task labelled(String guide, Map<String, ?> guideParams, int label) {
            return new Task(guide, guideParams, null, Map.of(), 0, label);
        }

        String describe() {
            String g = guide + (guideParams.isEmpty() ? "" : " " + brief(guideParams));
            if (operator == null) return g + " · label " + label;
            return g + " · " + operator + (operatorParams.isEmpty() ? "" : " " + brief(operatorParams)) + ", noise " + noise;
        }
    }

    /** One sampling way with its steps. */
    public record Way(String label, SamplingMethod method, int steps) {}

    /** One measurement: the guided samples' and the unguided sampler's distance and mode-weight error against the posterior. */
    public record Row(String task, String way, double nfe, double sw, double floor, double unguidedSw, double weightError,
                      double unguidedWeightError, String refused) {}

    /** The tasks of the table on a mixture of the given example shape. */
    public static List<Task> tasks(long[] shape) {
        List<Task> t = new ArrayList<>();
        t.add(Task.labelled("classifier", Map.of(), 0));
        t.add(Task.labelled("cfg", Map.of("w", 0.0), 0));
        t.add(Task.labelled("cfg", Map.of("w", 1.0), 0));
        boolean image = shape.length == 3;
        Map<String, ?> half = Map.of("mask", "half");
        t.add(Task.measured("replace", Map.of(), "inpaint", half, 0));
        if (image) {
            t.add(Task.measured("replace", Map.of(), "colorize", Map.of(), 0));
            t.add(Task.measured("replace", Map.of(), "superres", Map.of("factor", 2), 0));
        }
        for (String g : List.of("pigdm", "dps")) {
            // on the exact score, pigdm's posterior score as derived (the paper's step weighting is for imperfect networks)
            Map<String, ?> p = g.equals("pigdm") ? Map.of("weighting", "exact") : Map.of();
            t.add(Task.measured(g, p, "inpaint", half, 0.05));
            t.add(Task.measured(g, p, "blur", Map.of("size", 3, "width", 1.0), 0.05));
            if (image) {
                t.add(Task.measured(g, p, "colorize", Map.of(), 0.05));
                t.add(Task.measured(g, p, "superres", Map.of("factor", 2), 0.05));
            }
        }
        if (!image) t.add(Task.measured("dps", Map.of(), "magnitude", Map.of(), 0.1));
        return t;
    }

    /** The ways of the table: Euler-Maruyama (PC), ancestral DDIM and DPM-Solver++. */
    public List<Way> ways(Sde sde) {
        List<Way> ways = new ArrayList<>();
        ways.add(new Way("euler_maruyama N=1000", pc("euler_maruyama"), 1000));
        ways.add(new Way("euler_maruyama N=200", pc("euler_maruyama"), 200));
        for (String s : List.of("ddim", "dpm_solver_pp")) {
            SolverPlugin sp = registry.plugin(PluginKind.SOLVER, s, SolverPlugin.class);
            Params p = Params.of(sp, s.equals("ddim") ? Map.of("eta", 1.0) : Map.of());
            if (sp.unsupported(sde, p) != null) continue;
            int steps = s.equals("ddim") ? 100 : 20;
            ways.add(new Way(s + (s.equals("ddim") ? " eta=1" : "") + " N=" + steps, new SamplingMethod.WholeTrajectory(new Resolved<>(sp, p)), steps));
        }
        return ways;
    }

    private SamplingMethod pc(String predictor) {
        PredictorPlugin pp = registry.plugin(PluginKind.PREDICTOR, predictor, PredictorPlugin.class);
        CorrectorPlugin none = registry.plugin(PluginKind.CORRECTOR, "none", CorrectorPlugin.class);
        return new SamplingMethod.PredictorCorrector(new Resolved<>(pp, Params.of(pp, Map.of())), new Resolved<>(none, Params.of(none, Map.of())));
    }

    private final StringBuilder csv = new StringBuilder("dim,sde,task,sampler,nfe,sw,floor,unguided_sw,weight_error,unguided_weight_error,refused\n");

    /** The rows of the last {@link #report} as CSV (one line per task, sampler, SDE and mixture). */
    public String csv() { return csv.toString(); }

    /** Every task on every way, both mixtures, the given SDEs: the Markdown report. */
    public String report(List<String> sdeNames) {
        StringBuilder md = new StringBuilder();
        md.append("## Posterior quality against score evaluations\n\n");
        md.append("Generated by `./sdex bench guides --sde ").append(String.join(",", sdeNames)).append(" --n ").append(n).append("` on ").append(LocalDate.now()).append(" (")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores). Every guide is driven by the exact score")
                .append(" (and the exact noisy classifier) of a Gaussian mixture, and its samples are compared with exact posterior draws.\n\n")
                .append("- **NFE**: score evaluations per sample, input VJPs and conditional evaluations included.\n")
                .append("- **SW**: sliced Wasserstein-1 distance (").append(PROJECTIONS).append(" projections) between ").append(n)
                .append(" guided samples and ").append(n).append(" posterior draws; **floor**: the same between two independent posterior draws;")
                .append(" **unguided**: the same sampler without the guide (the worst case).\n")
                .append("- **weights**: largest error of a posterior mode weight (points assigned to their most likely prior component).\n")
                .append("- The observation is that of one prior draw (seed 5); eps = ").append(EPS).append(", denoising on, seed 1.\n")
                .append("- The 6-D mixture is the samplers bench's turned by a fixed random rotation (seed 1), so that no operator averages")
                .append(" coordinates whose component means cancel.\n\n");
        for (int dim : new int[] {2, 6}) {
            GaussianMixture gm = dim == 2 ? SamplerComparison.MIXTURE_2D : MIXTURE_6D_IMAGE;
            long[] shape = dim == 2 ? new long[] {2} : SHAPE_6D;
            for (String sdeName : sdeNames) {
                SdePlugin sp = registry.plugin(PluginKind.SDE, sdeName, SdePlugin.class);
                Sde sde = sp.create(Params.of(sp, Map.of()));
                md.append("### ").append(dim).append("-D mixture (example shape ").append(java.util.Arrays.toString(shape)).append("), `")
                        .append(sdeName).append("`\n\n");
                md.append("| task | sampler | NFE | SW / floor | unguided SW / floor | weights | unguided weights |\n");
                md.append("|---|---|---:|---:|---:|---:|---:|\n");
                for (Task task : tasks(shape)) {
                    for (Way way : ways(sde)) {
                        Row r = measure(sde, gm, shape, task, way);
                        csv.append(String.format(Locale.ROOT, "%d,%s,\"%s\",%s,%.0f,%.5f,%.5f,%.5f,%.4f,%.4f,\"%s\"%n", dim, sdeName,
                                r.task(), r.way(), r.nfe(), r.sw(), r.floor(), r.unguidedSw(), r.weightError(), r.unguidedWeightError(),
                                r.refused() == null ? "" : r.refused()));
                        if (r.refused() != null) {
                            md.append(String.format(Locale.ROOT, "| %s | %s | — | refused: %s | | | |%n", r.task(), r.way(), r.refused()));
                        } else {
                            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.2fx | %.2fx | %.3f | %.3f |%n", r.task(), r.way(), r.nfe(),
                                    r.sw() / r.floor(), r.unguidedSw() / r.floor(), r.weightError(), r.unguidedWeightError()));
                        }
                    }
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** The unguided samples of a mixture, an SDE and a way; the mixture by identity, as two mixtures may share a dimension. */
    private record UnguidedKey(GaussianMixture mixture, Class<?> sde, String way) {}

    private final Map<UnguidedKey, INDArray> unguided = new HashMap<>();

    /** One task on one way. */
    public Row measure(Sde sde, GaussianMixture gm, long[] shape, Task task, Way way) {
        OracleScore score = new OracleScore(gm, sde);
        GuidePlugin gp = registry.plugin(PluginKind.GUIDE, task.guide(), GuidePlugin.class);
        Resolved<GuidePlugin> guide = new Resolved<>(gp, Params.of(gp, task.guideParams()));
        Posterior posterior = posterior(sde, gm, shape, task);
        String problem = GuidedSampling.unsupported(guide, way.method(), score, posterior.context());
        if (problem != null) return new Row(task.describe(), way.label(), 0, 0, 0, 0, 0, 0, problem);
        SampleSettings s = new SampleSettings(way.steps(), n, 0, EPS, true, false, false, 1);
        Guide g = gp.create(guide.params(), posterior.context().sampledWith(way.method().steps(s), EPS));
        Sampler.Result r = new Sampler(sde, score, way.method(), s, g).sample(shape, DataType.DOUBLE, null);
        INDArray x = r.samples().reshape(n, gm.dim());
        INDArray free = unguided.computeIfAbsent(new UnguidedKey(gm, sde.getClass(), way.label()),
                k -> new Sampler(sde, score, way.method(), s).sample(shape, DataType.DOUBLE, null).samples().reshape(n, gm.dim()));
        Row row = new Row(task.describe(), way.label(), r.nfe(), distance(x, posterior.reference()), posterior.floor(),
                distance(free, posterior.reference()), weightError(gm, x, posterior.expected()),
                weightError(gm, free, posterior.expected()), null);
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "%d-D %s  %-50s %-24s NFE %5.0f  SW/floor %.2f (unguided %.2f)", gm.dim(),
                    sde.getClass().getSimpleName(), row.task(), row.way(), row.nfe(), row.sw() / row.floor(), row.unguidedSw() / row.floor()));
        }
        return row;
    }

    /** The exact posterior of a task: the guide context, a reference sample, the floor and the expected mode fractions. */
    public record Posterior(GuideContext context, INDArray reference, double floor, double[] expected) {}

    public Posterior posterior(Sde sde, GaussianMixture gm, long[] shape, Task task) {
        MixtureClassifier classifier = new MixtureClassifier(gm, sde);
        if (task.operator() == null) {
            GaussianMixture component = new GaussianMixture(new double[] {1}, new double[][] {gm.mean(task.label())},
                    new double[][][] {gm.covariance(task.label())});
            GuideContext ctx = new GuideContext(sde, shape, null, new int[] {task.label()}, classifier);
            return posterior(ctx, gm, seed -> component.sample(n, new Rng(seed), DataType.DOUBLE),
                    component.sample(20_000, new Rng(4242), DataType.DOUBLE));
        }
        OperatorPlugin op = registry.plugin(PluginKind.OPERATOR, task.operator(), OperatorPlugin.class);
        Operator a = op.create(Params.of(op, task.operatorParams()), new OperatorContext(shape, null));
        INDArray truth = gm.sample(1, new Rng(5), DataType.DOUBLE).reshape(concat(1, shape));
        INDArray y = a.forward(truth);
        y.addi(new Rng(6).normal(DataType.DOUBLE, y.shape()).muli(task.noise()));
        GuideContext ctx = new GuideContext(sde, shape, new Measurement(a, y, task.noise()), new int[] {0}, classifier);
        if (a instanceof LinearOperator l) {
            MixturePosterior post = MixturePosterior.of(gm, l, y, task.noise());
            return posterior(ctx, gm, seed -> post.sample(n, new Rng(seed), null), post.sample(20_000, new Rng(4242), null));
        }
        return posterior(ctx, gm, seed -> resampled(gm, a, y, task.noise(), n, seed), resampled(gm, a, y, task.noise(), 20_000, 4242));
    }

    private Posterior posterior(GuideContext ctx, GaussianMixture gm, java.util.function.LongFunction<INDArray> draw, INDArray large) {
        INDArray reference = draw.apply(7001);
        double floor = 0;
        for (int p = 0; p < 4; p++) floor += distance(draw.apply(8000 + p), draw.apply(9000 + p)) / 4;
        return new Posterior(ctx, reference, floor, assignedFractions(gm, large));
    }

    /**
     * Posterior draws for a non-linear operator by importance resampling: 400 prior draws per wanted
     * draw, weighted by the Gaussian likelihood of the observation, resampled systematically.
     */
    static INDArray resampled(GaussianMixture gm, Operator a, INDArray y, double noise, int count, long seed) {
        int m = count * 400;
        INDArray prior = gm.sample(m, new Rng(seed), DataType.DOUBLE);
        long[] shape = a.inputShape();
        INDArray r = a.forward(prior.reshape(concat(m, shape))).reshape(m, -1).subRowVector(y.reshape(1, -1));
        double[] logW = r.mul(r).sum(1).muli(-0.5 / (noise * noise)).toDoubleVector();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logW) max = Math.max(max, v);
        double[] cdf = new double[m];
        double acc = 0;
        for (int i = 0; i < m; i++) cdf[i] = acc += Math.exp(logW[i] - max);
        Rng rng = new Rng(seed + 1);
        double u = rng.nextDouble() / count;
        double[] out = new double[count * gm.dim()];
        double[] flat = prior.reshape(prior.length()).toDoubleVector();
        int i = 0;
        for (int k = 0; k < count; k++) {
            double target = (u + (double) k / count) * acc;
            while (cdf[i] < target) i++;
            System.arraycopy(flat, i * gm.dim(), out, k * gm.dim(), gm.dim());
        }
        return Nd4j.create(out, new long[] {count, gm.dim()}, DataType.DOUBLE);
    }

    static double distance(INDArray a, INDArray b) { return SlicedWasserstein.distance(a, b, PROJECTIONS, 11); }

    /** Largest error of the fraction of points whose most likely prior component is k, against the expected fractions. */
    static double weightError(GaussianMixture gm, INDArray x, double[] expected) {
        if (!Double.isFinite(x.sumNumber().doubleValue())) return Double.NaN;
        double[] got = assignedFractions(gm, x);
        double worst = 0;
        for (int k = 0; k < got.length; k++) worst = Math.max(worst, Math.abs(got[k] - expected[k]));
        return worst;
    }

    static double[] assignedFractions(GaussianMixture gm, INDArray x) {
        return ModeWeights.of(gm, x.reshape(x.size(0), gm.dim()));
    }

    /** The mixture's exact score at t with its input VJP and class-conditional scores, cached for the last t. */
    static final class OracleScore implements DifferentiableScore, ConditionalScore {
        private final GaussianMixture data;
        private final Sde sde;
        private final MixtureClassifier components;
        private double lastT = Double.NaN;
        private GaussianMixture atT;

        OracleScore(GaussianMixture data, Sde sde) {
            this.data = data;
            this.sde = sde;
            this.components = new MixtureClassifier(data, sde);
        }

        private GaussianMixture at(double t) {
            if (t != lastT) {
                atT = data.at(sde, t);
                lastT = t;
            }
            return atT;
        }

        @Override public INDArray score(INDArray x, double t) { return at(t).score(x); }

        @Override public INDArray vjp(INDArray x, double t, INDArray v) { return at(t).scoreVjp(x, v); }

        @Override public INDArray score(INDArray x, double t, int[] labels) { return components.componentScore(x, t, labels); }

        @Override public int classes() { return data.components(); }
    }

    /** The mixture of Q x, x from {@code gm}, Q the orthogonal matrix of Gram-Schmidt on a seeded Gaussian matrix's rows. */
    static GaussianMixture rotated(GaussianMixture gm, long seed) {
        int d = gm.dim();
        double[][] q = new double[d][d];
        Rng rng = new Rng(seed);
        for (int i = 0; i < d; i++) {
            rng.fillGaussian(q[i], 0, d);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += q[j][c] * q[i][c];
                    for (int c = 0; c < d; c++) q[i][c] -= dot * q[j][c];
                }
            }
            double norm = 0;
            for (double v : q[i]) norm += v * v;
            for (int c = 0; c < d; c++) q[i][c] /= Math.sqrt(norm);
        }
        int k = gm.components();
        double[][] means = new double[k][d];
        double[][][] covs = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            double[] mu = gm.mean(c);
            double[][] sigma = gm.covariance(c);
            for (int i = 0; i < d; i++) for (int a = 0; a < d; a++) means[c][i] += q[i][a] * mu[a];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = 0;
                    for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) v += q[i][a] * sigma[a][b] * q[j][b];
                    covs[c][i][j] = covs[c][j][i] = v;
                }
            }
        }
        return new GaussianMixture(gm.weights(), means, covs);
    }

    private static String brief(Map<String, ?> p) {
        StringBuilder sb = new StringBuilder();
        new LinkedHashMap<>(p).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static long[] concat(long first, long[] rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
