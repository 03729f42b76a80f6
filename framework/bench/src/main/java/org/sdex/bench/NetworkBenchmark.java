package org.sdex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.error.SdexException;
import org.sdex.core.memory.ResidentMemory;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.run.Npy;
import org.sdex.core.sample.Sampler;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.core.train.Adam;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.core.train.Trainer;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/**
 * {@code sdex bench network}: the {@code ddpmpp} score network in sdex against the same network in
 * PyTorch (a script shipped with sdex, run by the machine's python3 with torch), on the same
 * machine in the same command, at one thread count on both sides. Before timing it proves the two
 * compute the same function: equal parameter counts, and equal outputs and input VJPs (to float32
 * tolerance) after sdex's weights are exported as .npy files and loaded into the PyTorch network.
 * Then, per configuration, with one long-lived PyTorch process ({@link PyTorchServer}), it times in
 * turns ({@link Alternation}) the forward pass, the training step and the input VJP, and on the
 * network of {@link UserWorkload#FASHION_SUBVP} that experiment's training and sampling; every row
 * with its FLOPs (counted in PyTorch's dispatcher) and each side's share of the sgemm peak.
 *
 * <p>ND4J takes its thread count when it loads: this JVM must have been started with the count
 * (the launcher's {@code --threads}); the table says so when it was not.
 */
public final class NetworkBenchmark implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "torch_ncsnpp.py";

    /** A network configuration of the benchmark: the ddpmpp parameters, the image shape and the batch. */
    public record Config(String name, Map<String, Object> params, long[] shape, int batch) {
        /** The JSON the PyTorch script reads. */
        public Map<String, Object> torchConfig() {
            Map<String, Object> m = new LinkedHashMap<>(params);
            m.remove("initScale");
            m.remove("embeddingType");
            m.put("fourier", false);
            m.put("fourierScale", 16.0);
            m.put("conditional", true);
            m.put("centered", true);
            m.put("channels", shape[0]);
            m.put("resolution", shape[1]);
            return m;
        }
    }

    /** A CPU-sized DDPM++ (the one experiments/fashion_subvp.groovy trains) and the paper's CIFAR-10 DDPM++ cont. */
    public static final Map<String, Config> CONFIGS = Map.of(
            "cpu", new Config("cpu", Map.of("nf", 32, "chMult", List.of(1, 2, 2), "numResBlocks", 1, "attnResolutions", List.of(7),
                    "dropout", 0.0, "resampWithConv", true, "skipRescale", true, "resblockType", "biggan"), new long[] {1, 28, 28}, 32),
            "cifar", new Config("cifar", Map.of("nf", 128, "chMult", List.of(1, 2, 2, 2), "numResBlocks", 4, "attnResolutions", List.of(16),
                    "dropout", 0.1, "resampWithConv", true, "skipRescale", true, "resblockType", "biggan"), new long[] {3, 32, 32}, 8));

    /** The throughput rows run the experiment whose network is this config. */
    static final String WORKLOAD_CONFIG = "cpu";

    /**
     * How much to measure: timed runs per side and measurement (after one warm-up each), the thread
     * count of both sides, training steps per timed run of the workload's training (0: no such row)
     * and Euler-Maruyama steps per timed sampling run, scaled to the experiment's (0: no such row).
     */
    public record Plan(int runs, int threads, int trainSteps, int samplingSteps) {
        /** For {@link #sameFunction} and {@link #network} alone. */
        public static final Plan CHECKS_ONLY = new Plan(1, 1, 0, 0);

        public Plan {
            if (runs < 1 || threads < 1 || trainSteps < 0 || samplingSteps < 0) throw new IllegalArgumentException("bad plan " + this);
        }
    }

    private final PluginRegistry registry;
    private final String python;
    private final Plan plan;
    private final Consumer<String> progress;
    private final UserWorkload workload = UserWorkload.FASHION_SUBVP;

    public NetworkBenchmark(PluginRegistry registry, String python, Plan plan, Consumer<String> progress) {
        this.registry = registry;
        this.python = python;
        this.plan = plan;
        this.progress = progress;
    }

    private Path work;
    private Path script;

    /** A scratch folder holding the PyTorch script, made on first use. */
    private Path work() throws IOException {
        if (work == null) {
            work = Files.createTempDirectory("sdex-bench-network");
            script = work.resolve(SCRIPT);
            try (InputStream in = NetworkBenchmark.class.getResourceAsStream(SCRIPT)) {
                Files.copy(in, script);
            }
        }
        return work;
    }

    /**
     * How closely the two implementations agree on sdex's weights: the largest difference of their
     * outputs, and of their input VJPs {@code v^T d out / dx} (PyTorch's by autograd), each relative
     * to the largest value of sdex's.
     */
    public record Agreement(double output, double inputVjp) {}

    /**
     * Checks that sdex and PyTorch build the same network for {@code c}: equal parameter counts
     * (else an {@link SdexException}), and returns how closely they agree.
     */
    public Agreement sameFunction(Config c) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work().resolve(c.name()));
        Path configJson = dir.resolve("config.json");
        JSON.writeValue(configJson.toFile(), c.torchConfig());
        // closed afterwards: its native arrays are freed before the timed network is built
        try (ScoreNetwork net = network(c, 1.0)) {
            long torchParams = pythonJson(script, "count", configJson.toString()).get("parameters").asLong();
            if (torchParams != net.parameterCount()) {
                throw new SdexException("config " + c.name() + ": sdex has " + net.parameterCount()
                        + " parameters, the PyTorch network " + torchParams + "; they are not the same network");
            }
            return sameFunction(net, c, dir, script, configJson);
        }
    }

    /** Deletes the scratch folder (the script, configs and exported weights: 250 MB for CIFAR). */
    @Override
    public void close() throws IOException {
        if (work == null) return;
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
        work = null;
    }

    /** The legend above the tables of all thread counts, under the heading the generated section starts with. */
    public static String legend(int runs) {
        return "## Measured\n\n"
                + "Generated by `./sdex bench network` on " + LocalDate.now() + ". `ddpmpp`, float32. Each cell: the median of " + runs
                + (runs == 1 ? " timed run" : " timed runs") + " (min–max), after one warm-up run of each side; the two sides take turns (sdex run i, PyTorch run i, "
                + "sdex run i + 1, ...), one long-lived process each. *train step*: forward, backward, global-norm clipping and Adam. "
                + "*input VJP*: `v^T d eps_hat / dx`, one step of the likelihood ODE. *training* and *sampling*: `experiments/"
                + UserWorkload.FASHION_SUBVP.experiment() + ".groovy`'s settings, sdex's trainer and sampler against the reference's "
                + "training loop and Euler-Maruyama sampler in PyTorch. *sdex / PyTorch*: ratio of the median times (below 1: sdex is "
                + "faster). *GFLOP*: convolutions and matrix products per run, counted in PyTorch's dispatcher on the same network; "
                + "*share of peak*: achieved GFLOP/s over the machine's measured sgemm peak. Peak RSS: sdex's JVM (cumulative over the "
                + "configurations above it), PyTorch's process per configuration.\n\n";
    }

    /** The section of this thread count: what both sides ran with, the configurations, the table. */
    public String report(List<Config> configs) throws Exception {
        work();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(plan.threads()).append(plan.threads() == 1 ? " thread" : " threads").append("\n\n");
        StringBuilder about = new StringBuilder("| config | parameters | GFLOP per example: forward / train step / input VJP "
                + "| same function: outputs / input VJPs differ by |\n|---|---:|---|---|\n");
        StringBuilder table = new StringBuilder("| config | measurement | sdex | PyTorch | sdex / PyTorch | GFLOP | sdex: share of peak "
                + "| PyTorch: share of peak |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        BenchEnvironment env = null;
        for (Config c : configs) {
            Agreement same = sameFunction(c);
            // the check's network is garbage now: free its native arrays before the timed network is
            // built, so that the peak below is the timed network's own (PyTorch checks in another process)
            System.gc();
            System.runFinalization();
            try (ScoreNetwork net = network(c, 0.0);
                 PyTorchServer torch = new PyTorchServer(python, script, work.resolve(c.name()).resolve("config.json"), plan.threads(),
                         System.getenv())) {
                if (env == null) env = environment(torch);
                JsonNode perExample = torch.request(Map.of("cmd", "flops", "batch", 1));
                about.append(String.format(Locale.ROOT, "| %s %s | %,d | %.3f / %.3f / %.3f | %.1e / %.1e |%n", c.name(),
                        Arrays.toString(c.shape()), net.parameterCount(), perExample.get("forward").asDouble() / 1e9,
                        perExample.get("trainStep").asDouble() / 1e9, perExample.get("inputVjp").asDouble() / 1e9, same.output(), same.inputVjp()));
                List<ComparisonRow> rows = measure(c, net, torch, perExample);
                for (ComparisonRow r : rows) table.append(r.markdown(env.machinePeak()));
                double mine = ResidentMemory.peakMegabytes();
                double theirs = torch.request(Map.of("cmd", "rss")).get("peakRssMB").asDouble();
                table.append(String.format(Locale.ROOT, "| %s | peak RSS (MB) | %.0f | %.0f | %.2f | | | |%n", c.name(), mine, theirs, mine / theirs));
            }
        }
        if (env == null) throw new IllegalArgumentException("no configuration to measure");
        return md.append(env.markdown()).append('\n').append(about).append('\n').append(table).append('\n').toString();
    }

    /** What both sides run with, and each side's sgemm peak (once per thread count). */
    private BenchEnvironment environment(PyTorchServer torch) throws IOException {
        double mine = SgemmPeak.gflops(SgemmPeak.SIZE);
        double theirs = torch.request(Map.of("cmd", "peak", "n", SgemmPeak.SIZE)).get("gflops").asDouble();
        progress.accept(String.format(Locale.ROOT, "sgemm %d^2, %d thread(s): sdex %.0f GFLOP/s, PyTorch %.0f GFLOP/s", SgemmPeak.SIZE,
                plan.threads(), mine, theirs));
        return new BenchEnvironment(plan.threads(), Runtime.getRuntime().availableProcessors(), torch.request(Map.of("cmd", "info")), theirs,
                BenchEnvironment.Sdex.ofThisJvm(), mine);
    }

    /** The timed rows of one configuration, each side in turn. */
    private List<ComparisonRow> measure(Config c, ScoreNetwork net, PyTorchServer torch, JsonNode perExample) throws Exception {
        long[] shape = batchShape(c.shape(), c.batch());
        Rng rng = new Rng(7);
        INDArray x = rng.normal(DataType.FLOAT, shape);
        INDArray z = rng.normal(DataType.FLOAT, shape);
        INDArray v = rng.normal(DataType.FLOAT, shape);
        INDArray labels = rng.uniform(DataType.FLOAT, c.batch()).muli(999);
        INDArray ones = org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, c.batch());
        Map<String, INDArray> weights = net.weights();
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0, weights);
        long[] step = {0};
        String label = c.name() + ", batch " + c.batch();
        double b = c.batch();
        List<ComparisonRow> rows = new ArrayList<>();
        rows.add(ComparisonRow.millis(label, "forward", timed(c, "forward",
                () -> net.predictNoise(x, labels), torch, pass("forward", c)), b * perExample.get("forward").asDouble()));
        // as the trainer takes a step: the gradients are the pass's own arrays, used up by the update
        rows.add(ComparisonRow.millis("", "train step", timed(c, "train step", () -> net.withLossAndGradients(x, labels, z, ones, ++step[0], lg -> {
            Adam.clipGlobalNorm(lg.gradients(), 1.0);
            adam.step(weights, lg.gradients(), 2e-4);
            return null;
        }), torch, pass("trainStep", c)), b * perExample.get("trainStep").asDouble()));
        rows.add(ComparisonRow.millis("", "input VJP", timed(c, "input VJP", () -> net.inputVjp(x, labels, v), torch, pass("inputVjp", c)),
                b * perExample.get("inputVjp").asDouble()));
        if (c.name().equals(WORKLOAD_CONFIG)) rows.addAll(workloadRows(c, net, torch, perExample));
        return rows;
    }

    /** Training steps per second and samples per second of the experiment, sdex's trainer and sampler against the reference's loops. */
    private List<ComparisonRow> workloadRows(Config c, ScoreNetwork net, PyTorchServer torch, JsonNode perExample) throws Exception {
        List<ComparisonRow> rows = new ArrayList<>();
        // the same network: sub-VP and VP both label time as 999 t, so only the trainer's and sampler's SDE changes
        Sde sde = sde(workload.sde(), workload.sdeParams());
        String name = workload.experiment();
        int k = plan.trainSteps();
        if (k > 0) {
            Dataset noise = new ShapeOnlyData(c.shape());
            Alternation.Result r = timed(c, "training", () -> {
                Trainer t = new Trainer(net, sde, noise, workload.trainSettings(k));
                t.train(t.initialState(), null, (s, loss, lr, norm) -> {});
            }, torch, workload.torchTraining(k));
            rows.add(new ComparisonRow(name, "training, steps/s (batch " + workload.trainBatch() + "; runs of " + k + (k == 1 ? " step)" : " steps)"),
                    r, k * workload.trainBatch() * perExample.get("trainStep").asDouble(), k * 1000.0));
        }
        int n = plan.samplingSteps();
        if (n > 0) {
            Sampler sampler = new Sampler(sde, net.scoreFunction(sde), eulerMaruyama(), workload.sampleSettings(n));
            Alternation.Result r = timed(c, "sampling", () -> sampler.sample(net.exampleShape(), DataType.FLOAT, null), torch,
                    workload.torchSampling(n));
            double samples = workload.samplingBatch() * (double) n / workload.samplingSteps();
            String what = String.format(Locale.ROOT, "sampling, samples/s (%d-step Euler-Maruyama, batch %d%s)", workload.samplingSteps(),
                    workload.samplingBatch(), n == workload.samplingSteps() ? "" : "; runs of " + n + " steps, scaled");
            rows.add(new ComparisonRow("", what, r, n * workload.samplingBatch() * perExample.get("forward").asDouble(), samples * 1000.0));
        }
        return rows;
    }

    private static Map<String, Object> pass(String what, Config c) {
        return Map.of("cmd", "time", "what", what, "batch", c.batch());
    }

    /** One measurement on both sides in turns; its runs go to the progress lines in the order they ran. */
    private Alternation.Result timed(Config c, String what, Runnable sdex, PyTorchServer torch, Map<String, ?> request) throws Exception {
        Alternation.Result r = Alternation.run(plan.runs(), () -> {
            long s = System.nanoTime();
            sdex.run();
            return (System.nanoTime() - s) / 1e6;
        }, () -> torch.millis(request));
        progress.accept(c.name() + " " + what + " (ms, in order; run 0 warms up): " + r.order().stream()
                .map(run -> String.format(Locale.ROOT, "%s %d: %.0f", run.side() == Alternation.Side.SDEX ? "sdex" : "PyTorch", run.run(), run.millis()))
                .collect(Collectors.joining(", ")));
        return r;
    }

    private SamplingMethod eulerMaruyama() {
        PredictorPlugin pp = registry.plugin(PluginKind.PREDICTOR, "euler_maruyama", PredictorPlugin.class);
        CorrectorPlugin cp = registry.plugin(PluginKind.CORRECTOR, "none", CorrectorPlugin.class);
        return new SamplingMethod.PredictorCorrector(new Resolved<>(pp, Params.of(pp, Map.of())), new Resolved<>(cp, Params.of(cp, Map.of())));
    }

    private Sde sde(String name, Map<String, Object> params) {
        SdePlugin sp = registry.plugin(PluginKind.SDE, name, SdePlugin.class);
        return sp.create(Params.of(sp, params));
    }

    /** The ddpmpp network of a configuration with VP noise labels. */
    public ScoreNetwork network(Config c, double initScale) {
        return network(c, initScale, sde("vp", Map.of()));
    }

    /** The ddpmpp network of a configuration (positional embedding) for {@code sde}'s noise labels, with the given init scale. */
    public ScoreNetwork network(Config c, double initScale, Sde sde) {
        ModelPlugin mp = registry.plugin(PluginKind.MODEL, "ddpmpp", ModelPlugin.class);
        Map<String, Object> p = new LinkedHashMap<>(c.params());
        p.put("initScale", initScale);
        p.put("embeddingType", "positional");
        Dataset images = new ShapeOnlyData(c.shape());
        NetworkModel model = (NetworkModel) mp.create(Params.of(mp, p), new ModelContext(sde, images, c.shape(), DataType.FLOAT, new Rng(1)));
        return new ScoreNetwork(model, c.shape(), DataType.FLOAT, true);
    }

    private static long[] batchShape(long[] example, long batch) {
        long[] shape = new long[example.length + 1];
        shape[0] = batch;
        System.arraycopy(example, 0, shape, 1, example.length);
        return shape;
    }

    /** How closely the two implementations agree on sdex's weights (init scale 1: outputs of order 1). */
    private Agreement sameFunction(ScoreNetwork net, Config c, Path dir, Path script, Path configJson) throws IOException, InterruptedException {
        Path weights = Files.createDirectories(dir.resolve("weights"));
        for (String w : net.weightNames()) { // one copy at a time (all at once: 247 MB more for CIFAR)
            INDArray copy = net.referenceWeight(w);
            Npy.write(copy, weights.resolve(w + ".npy"));
            copy.close();
        }
        long[] shape = batchShape(c.shape(), 2);
        INDArray x = new Rng(5).normal(DataType.FLOAT, shape);
        INDArray labels = org.nd4j.linalg.factory.Nd4j.createFromArray(30f, 700f);
        Npy.write(x, dir.resolve("x.npy"));
        Npy.write(labels, dir.resolve("labels.npy"));
        INDArray v = new Rng(6).normal(DataType.FLOAT, shape);
        Npy.write(v, dir.resolve("v.npy"));
        INDArray mine = net.predictNoise(x, labels).castTo(DataType.DOUBLE);
        // three calls: through SameDiff on a one-row plan and on the full batch, then replayed
        List<INDArray> vjps = new ArrayList<>();
        for (int i = 0; i < 3; i++) vjps.add(net.inputVjp(x, labels, v).castTo(DataType.DOUBLE));
        pythonJson(script, "check", configJson.toString(), dir.toString());
        double output = relativeDifference(mine, Npy.read(dir.resolve("torch_out.npy")));
        INDArray theirVjp = Npy.read(dir.resolve("torch_vjp.npy"));
        double vjp = 0;
        for (INDArray g : vjps) vjp = Math.max(vjp, relativeDifference(g, theirVjp));
        return new Agreement(output, vjp);
    }

    /** The largest difference between two arrays relative to the largest magnitude of the first. */
    private static double relativeDifference(INDArray mine, INDArray theirs) {
        double scale = Math.max(mine.amaxNumber().doubleValue(), 1e-30);
        return mine.sub(theirs.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }

    private JsonNode pythonJson(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(List.of(args));
        String out = run(cmd);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return JSON.readTree(last);
    }

    /** Runs a PyTorch command to completion; its stdout, or a one-line error with the end of its output. */
    private String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = PyTorchProcess.builder(cmd, System.getenv(), plan.threads()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new SdexException("cannot start '" + cmd.get(0) + "' (" + e.getMessage() + "); pass --python with a python3 that has torch "
                    + "(Debian: apt-get install python3-torch)");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
            String tail = out.strip().lines().reduce((a, b) -> b).orElse("");
            throw new SdexException("'" + String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + "' failed: " + tail
                    + (tail.contains("No module named 'torch'") ? " (pass --python with a python3 that has torch; Debian: python3-torch)" : ""));
        }
        return out;
    }
}
