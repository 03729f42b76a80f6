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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.sample.Sampler;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.core.run.Npy;
import org.sdex.core.memory.ResidentMemory;
import org.sdex.core.train.Adam;
import org.sdex.core.train.ScoreNetwork;
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
 * machine in the same command: forward, training step (forward, backward, clipping, Adam) and
 * input vector-Jacobian product, median milliseconds, and the peak RSS of both. Before timing it
 * proves the two compute the same function: equal parameter counts, and equal outputs (to float32
 * tolerance) after sdex's weights are exported as .npy files and loaded into the PyTorch network.
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

    /** Rows of the end-to-end sampling run; it runs on the configs named in {@link #SAMPLED}. */
    static final int SAMPLING_BATCH = 8;
    /** CIFAR's 1,000 forward passes at batch 8 would take about 45 minutes per side on 2 cores. */
    static final Set<String> SAMPLED = Set.of("cpu");

    private final PluginRegistry registry;
    private final String python;
    private final int iterations;
    private final int samplingSteps;
    private final Consumer<String> progress;

    /** Without the end-to-end sampling run. */
    public NetworkBenchmark(PluginRegistry registry, String python, int iterations, Consumer<String> progress) {
        this(registry, python, iterations, 0, progress);
    }

    /** @param samplingSteps Euler-Maruyama steps of the end-to-end sampling run (0: none) */
    public NetworkBenchmark(PluginRegistry registry, String python, int iterations, int samplingSteps, Consumer<String> progress) {
        this.registry = registry;
        this.python = python;
        this.iterations = iterations;
        this.samplingSteps = samplingSteps;
        this.progress = progress;
    }

    /** Measured times (ms) and peak RSS (MB) of one implementation. */
    record Times(double forward, double trainStep, double inputVjp, double peakRssMB) {}

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

    public String report(List<Config> configs) throws IOException, InterruptedException {
        work();
        StringBuilder md = new StringBuilder();
        md.append("## Measured\n\n")
                .append("Generated by `./sdex bench network` on ").append(LocalDate.now()).append(" (")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores; PyTorch ").append(torchVersion())
                .append(" with ").append(System.getenv().getOrDefault("SDEX_BENCH_THREADS", "2"))
                .append(" threads, sdex on ND4J/SameDiff 1.0.0-M2.1). `ddpmpp`, float32, median of ").append(iterations)
                .append(" runs after one warm-up. *train step*: forward, backward, global-norm clipping and Adam. ")
                .append("*input VJP*: `v^T d eps_hat / dx`, the cost of one step of the likelihood ODE. Peak RSS: sdex's JVM ")
                .append("(cumulative over the configurations above it), PyTorch's process per configuration. ")
                .append("*same function*: on the same weights (exported from sdex as .npy), the largest difference between ")
                .append("the two outputs (forward row) and between the two input VJPs (input VJP row; PyTorch's by autograd, ")
                .append("sdex's through SameDiff and replayed), relative to the largest value.\n\n")
                .append("| config | parameters | same function | | sdex ms | PyTorch ms | sdex / PyTorch |\n")
                .append("|---|---:|---:|---|---:|---:|---:|\n");
        for (Config c : configs) {
            Agreement difference = sameFunction(c);
            // the check's network is garbage now: free its native arrays before the timed network is
            // built, so that the peak below is the timed network's own (PyTorch checks in another process)
            System.gc();
            System.runFinalization();
            ScoreNetwork net = network(c, 0.0);
            progress.accept(String.format(Locale.ROOT, "%s: %,d parameters in both; outputs differ by %.1e, input VJPs by %.1e (relative)",
                    c.name(), net.parameterCount(), difference.output(), difference.inputVjp()));
            Path configJson = work.resolve(c.name()).resolve("config.json");

            Times mine = time(net, c);
            progress.accept(String.format(Locale.ROOT, "%s sdex: %s", c.name(), mine));
            JsonNode t = pythonJson(script, "bench", configJson.toString(), String.valueOf(c.batch()), String.valueOf(iterations));
            Times theirs = new Times(t.get("forward").asDouble(), t.get("trainStep").asDouble(), t.get("inputVjp").asDouble(),
                    t.get("peakRssMB").asDouble());
            progress.accept(String.format(Locale.ROOT, "%s PyTorch: %s", c.name(), theirs));
            String label = c.name() + " " + Arrays.toString(c.shape()) + ", batch " + c.batch();
            String params = String.format(Locale.ROOT, "%,d", net.parameterCount());
            row(md, label, params, String.format(Locale.ROOT, "%.1e", difference.output()), "forward", mine.forward(), theirs.forward());
            row(md, "", "", "", "train step", mine.trainStep(), theirs.trainStep());
            row(md, "", "", String.format(Locale.ROOT, "%.1e", difference.inputVjp()), "input VJP", mine.inputVjp(), theirs.inputVjp());
            double theirPeak = theirs.peakRssMB();
            if (samplingSteps > 0 && SAMPLED.contains(c.name())) {
                double mineMs = sampling(net);
                JsonNode s = pythonJson(script, "sample", configJson.toString(), String.valueOf(SAMPLING_BATCH), String.valueOf(samplingSteps));
                progress.accept(String.format(Locale.ROOT, "%s sampling, %d steps: sdex %.0f ms, PyTorch %.0f ms", c.name(), samplingSteps,
                        mineMs, s.get("ms").asDouble()));
                row(md, "", "", "", samplingSteps + "-step sampling, batch " + SAMPLING_BATCH, mineMs, s.get("ms").asDouble());
                theirPeak = Math.max(theirPeak, s.get("peakRssMB").asDouble());
            }
            double myPeak = ResidentMemory.peakMegabytes();
            md.append(String.format(Locale.ROOT, "| | | | peak RSS (MB) | %.0f | %.0f | %.2f |%n", myPeak, theirPeak, myPeak / theirPeak));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String label, String params, String same, String what, double a, double b) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %.0f | %.2f |%n", label, params, same, what, a, b, a / b));
    }

    /** The VP SDE with the reference's defaults: the networks' noise labels and the sampling run's SDE. */
    private Sde vpSde() {
        SdePlugin sp = registry.plugin(PluginKind.SDE, "vp", SdePlugin.class);
        return sp.create(Params.of(sp, Map.of()));
    }

    /** The ddpmpp network of a configuration (VP labels, positional embedding) with the given init scale. */
    public ScoreNetwork network(Config c, double initScale) {
        Sde sde = vpSde();
        ModelPlugin mp = registry.plugin(PluginKind.MODEL, "ddpmpp", ModelPlugin.class);
        Map<String, Object> p = new LinkedHashMap<>(c.params());
        p.put("initScale", initScale);
        p.put("embeddingType", "positional");
        Dataset images = new ShapeOnlyData(c.shape());
        NetworkModel model = (NetworkModel) mp.create(Params.of(mp, p), new ModelContext(sde, images, c.shape(), DataType.FLOAT, new Rng(1)));
        return new ScoreNetwork(model, c.shape(), DataType.FLOAT, true);
    }

    /** How closely the two implementations agree on sdex's weights (init scale 1: outputs of order 1). */
    private Agreement sameFunction(ScoreNetwork net, Config c, Path dir, Path script, Path configJson) throws IOException, InterruptedException {
        Path weights = Files.createDirectories(dir.resolve("weights"));
        for (String w : net.weightNames()) { // one copy at a time (all at once: 247 MB more for CIFAR)
            INDArray copy = net.referenceWeight(w);
            Npy.write(copy, weights.resolve(w + ".npy"));
            copy.close();
        }
        long[] shape = new long[c.shape().length + 1];
        shape[0] = 2;
        System.arraycopy(c.shape(), 0, shape, 1, c.shape().length);
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

    private Times time(ScoreNetwork net, Config c) {
        long[] shape = new long[c.shape().length + 1];
        shape[0] = c.batch();
        System.arraycopy(c.shape(), 0, shape, 1, c.shape().length);
        Rng rng = new Rng(7);
        INDArray x = rng.normal(DataType.FLOAT, shape);
        INDArray z = rng.normal(DataType.FLOAT, shape);
        INDArray v = rng.normal(DataType.FLOAT, shape);
        INDArray labels = rng.uniform(DataType.FLOAT, c.batch()).muli(999);
        INDArray ones = org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, c.batch());
        Map<String, INDArray> weights = net.weights();
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0, weights);
        long[] step = {0};
        double forward = median(() -> net.predictNoise(x, labels));
        // as the trainer takes a step: the gradients are the pass's own arrays, used up by the update
        double train = median(() -> net.withLossAndGradients(x, labels, z, ones, ++step[0], lg -> {
            Adam.clipGlobalNorm(lg.gradients(), 1.0);
            adam.step(weights, lg.gradients(), 2e-4);
            return null;
        }));
        double vjp = median(() -> net.inputVjp(x, labels, v));
        return new Times(forward, train, vjp, ResidentMemory.peakMegabytes());
    }

    /**
     * Wall milliseconds of sdex's own sampler: {@code euler_maruyama} without corrector on the VP SDE,
     * {@link #samplingSteps} steps, {@link #SAMPLING_BATCH} samples, denoised last step (the PyTorch
     * script runs the reference's loop with the same steps and network).
     */
    private double sampling(ScoreNetwork net) {
        Sde sde = vpSde();
        PredictorPlugin pp = registry.plugin(PluginKind.PREDICTOR, "euler_maruyama", PredictorPlugin.class);
        CorrectorPlugin cp = registry.plugin(PluginKind.CORRECTOR, "none", CorrectorPlugin.class);
        SamplingMethod m = new SamplingMethod.PredictorCorrector(new Resolved<>(pp, Params.of(pp, Map.of())),
                new Resolved<>(cp, Params.of(cp, Map.of())));
        SampleSettings settings = new SampleSettings(samplingSteps, SAMPLING_BATCH, 0, 1e-3, true, false, false, 1);
        long start = System.nanoTime();
        new Sampler(sde, net.scoreFunction(sde), m, settings).sample(net.exampleShape(), DataType.FLOAT, null);
        return (System.nanoTime() - start) / 1e6;
    }

    private double median(Runnable r) {
        r.run();
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long s = System.nanoTime();
            r.run();
            t.add((System.nanoTime() - s) / 1e6);
        }
        t.sort(null);
        return t.get(t.size() / 2);
    }

    private String torchVersion() throws IOException, InterruptedException {
        return run(List.of(python, "-c", "import torch; print(torch.__version__)")).strip();
    }

    private JsonNode pythonJson(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(List.of(args));
        String out = run(cmd);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return JSON.readTree(last);
    }

    /**
     * Variables the sdex launcher sets for ND4J (glibc's allocator, OpenMP's threads and waiting, JVM
     * options), and any a user set for sdex the same way: PyTorch runs without them, as its users run it
     * (with the launcher's allocator settings every tensor of 64 KB or more is a fresh mmap, which
     * slows PyTorch down by up to 3x). Its thread count comes from SDEX_BENCH_THREADS alone.
     */
    static final List<String> NOT_INHERITED_PREFIXES = List.of("MALLOC_", "OMP_", "KMP_", "GOMP_", "MKL_", "OPENBLAS_", "DNNL_", "ONEDNN_");
    static final List<String> NOT_INHERITED = List.of("LD_PRELOAD", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "SDEX_JAVA_OPTS");

    /** Removes from {@code env} what sdex's side is tuned with (see {@link #NOT_INHERITED_PREFIXES}). */
    static void asPyTorchUsersRunIt(Map<String, String> env) {
        env.keySet().removeIf(k -> NOT_INHERITED.contains(k) || NOT_INHERITED_PREFIXES.stream().anyMatch(k::startsWith));
    }

    /** How the PyTorch side is started: {@code parentEnv} without sdex's tuning, output and errors together. */
    static ProcessBuilder pyTorchProcess(List<String> cmd, Map<String, String> parentEnv) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(parentEnv);
        asPyTorchUsersRunIt(pb.environment());
        return pb;
    }

    /** Runs a command to completion; its stdout, or a one-line error with the end of its output. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = pyTorchProcess(cmd, System.getenv()).start();
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
