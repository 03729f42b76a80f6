package org.sdex.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sdex.bench.NetworkBenchmark;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.sweep.TaskCommand;

/**
 * {@code sdex bench network} at one or more thread counts. ND4J fixes its OpenMP threads when it
 * loads, so a count is measured in this JVM only when it was started with that count (the
 * launcher's {@code --threads N}); otherwise, and for a list such as {@code --threads 1,2}, each
 * count runs in a JVM of its own (this JVM's java and settings, {@code OMP_NUM_THREADS=N}) that
 * prints its section, and the sections are joined under one legend.
 */
final class NetworkBenchRun {
    static final int RUNS = 5;
    static final int TRAIN_STEPS = 10;
    static final int SAMPLING_STEPS = 25;

    private NetworkBenchRun() {}

    static String report(Invocation in, PluginRegistry registry) throws Exception {
        List<NetworkBenchmark.Config> configs = new ArrayList<>();
        for (String c : in.option("config", "cpu,cifar").split(",")) {
            NetworkBenchmark.Config config = NetworkBenchmark.CONFIGS.get(c.trim());
            if (config == null) throw new UsageException("No network config '" + c.trim() + "'. Available: cpu, cifar");
            configs.add(config);
        }
        String python = in.option("python", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        int runs = in.intOption("iters", RUNS, 1);
        int trainSteps = in.intOption("train-steps", TRAIN_STEPS, 0);
        int samplingSteps = in.intOption("sampling-steps", SAMPLING_STEPS, 0);
        List<Integer> counts = threadCounts(in.option("threads", null), System.getenv());
        String own = System.getenv("OMP_NUM_THREADS");
        if (counts.size() == 1 && String.valueOf(counts.get(0)).equals(own)) {
            NetworkBenchmark.Plan plan = new NetworkBenchmark.Plan(runs, counts.get(0), trainSteps, samplingSteps);
            try (NetworkBenchmark bench = new NetworkBenchmark(registry, python, plan, line -> in.err.println(line))) {
                String section = bench.report(configs);
                return in.flag("section") ? section : NetworkBenchmark.legend(runs) + section;
            }
        }
        if (in.flag("section")) throw new UsageException("--section measures one thread count in a JVM started with it (OMP_NUM_THREADS)");
        StringBuilder doc = new StringBuilder(NetworkBenchmark.legend(runs));
        for (int n : counts) {
            List<String> args = new ArrayList<>(List.of("bench", "network", "--section", "--threads", String.valueOf(n),
                    "--config", in.option("config", "cpu,cifar"), "--iters", String.valueOf(runs), "--train-steps", String.valueOf(trainSteps),
                    "--sampling-steps", String.valueOf(samplingSteps), "--python", python));
            String[] plugins = in.line.getOptionValues("plugins");
            if (plugins != null) for (String p : plugins) args.addAll(List.of("--plugins", p));
            in.err.println("bench network: " + n + (n == 1 ? " thread" : " threads") + ", in a JVM of its own");
            doc.append(child(args, n, in));
        }
        return doc.toString();
    }

    /** The counts of {@code --threads} (default: this JVM's {@code OMP_NUM_THREADS}, else all cores). */
    static List<Integer> threadCounts(String option, Map<String, String> env) {
        String spec = option != null ? option : env.getOrDefault("OMP_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors()));
        List<Integer> counts = new ArrayList<>();
        for (String s : spec.split(",")) {
            try {
                int n = Integer.parseInt(s.strip());
                if (n < 1) throw new NumberFormatException();
                if (!counts.contains(n)) counts.add(n);
            } catch (NumberFormatException e) {
                throw new UsageException("--threads must be an integer >= 1 or a list such as 1,2, got '" + spec + "'");
            }
        }
        return counts;
    }

    /** Runs this JVM's sdex again with {@code n} threads; its stdout (the section), its progress lines passed on. */
    private static String child(List<String> args, int n, Invocation in) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(TaskCommand.thisJvm(Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(TaskCommand.threadEnv(String.valueOf(n)));
        pb.environment().remove("SDEX_THREADS");
        Process p = pb.start();
        p.getOutputStream().close();
        Thread progress = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) in.err.println(line);
            } catch (IOException ignored) {
                // the child has gone; its exit code says how
            }
        });
        progress.start();
        String section = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        progress.join();
        if (code != 0) throw new SdexException("bench network at " + n + (n == 1 ? " thread" : " threads") + " failed (exit " + code + "; its error is above)");
        return section;
    }
}
