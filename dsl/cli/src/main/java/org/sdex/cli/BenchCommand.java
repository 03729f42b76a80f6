package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.sdex.bench.GuideComparison;
import org.sdex.bench.SamplerComparison;
import org.sdex.bench.SamplingOverhead;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.spi.PluginKind;

/**
 * {@code sdex bench samplers}: the quality-against-NFE table of every sampler plugin on the
 * Gaussian-mixture oracle (docs/samplers.md is its output); {@code sdex bench guides}: each guide's
 * posterior quality on inverse problems of Gaussian mixtures (docs/guides.md); {@code sdex bench overhead}: the share of
 * sampling time outside the score network; {@code sdex bench network}: the ddpmpp network against
 * the same network in PyTorch (docs/performance.md).
 */
final class BenchCommand implements Command {
    static final List<String> SUBJECTS = List.of("samplers", "guides", "overhead", "network");

    @Override public String name() { return "bench"; }

    @Override public String arguments() { return "samplers|guides|overhead|network [options]"; }

    @Override public String summary() { return "samplers: quality vs NFE on the exact mixture score; guides: posterior quality of each guide on mixture inverse problems; overhead: sampler time outside the network; network: ddpmpp against PyTorch"; }

    @Override public boolean threadList() { return true; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Option.builder().longOpt("threads").hasArg().argName("N[,N...]")
                        .desc("compute threads (default: $SDEX_THREADS, else the cores split between the sdex processes running); network: "
                                + "both sides get N; a list such as 1,2 gives one table per count, each measured in a JVM of its own").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE").desc("write the Markdown report to FILE (default: stdout)").build())
                .addOption(Option.builder().longOpt("n").hasArg().argName("N").desc("samples per sampler (default 4000; guides: 1000; overhead: 2000)").build())
                .addOption(Option.builder().longOpt("sde").hasArg().argName("NAMES").desc("comma-separated SDEs (default: vp,subvp,ve)").build())
                .addOption(Option.builder().longOpt("quick").desc("one grid size per sampler").build())
                .addOption(Option.builder().longOpt("model").hasArg().argName("NAME").desc("overhead: mlp (default) or ddpmpp").build())
                .addOption(Option.builder().longOpt("config").hasArg().argName("NAMES").desc("network: cpu, cifar or both (default cpu,cifar)").build())
                .addOption(Option.builder().longOpt("sampling-steps").hasArg().argName("N")
                        .desc("network: Euler-Maruyama steps per timed run of fashion_subvp's 250-step sampling, scaled to 250 (default "
                                + NetworkBenchRun.SAMPLING_STEPS + "; 0: no sampling row)").build())
                .addOption(Option.builder().longOpt("train-steps").hasArg().argName("N")
                        .desc("network: training steps per timed run of fashion_subvp's training (default " + NetworkBenchRun.TRAIN_STEPS
                                + "; 0: no training row)").build())
                .addOption(Option.builder().longOpt("section").desc("network: print only the section of the one thread count "
                        + "(what each JVM of a --threads list does)").build())
                .addOption(Option.builder().longOpt("iters").hasArg().argName("N").desc("network: timed runs per side and measurement, "
                        + "sides alternating (default " + NetworkBenchRun.RUNS + ")").build())
                .addOption(Option.builder().longOpt("python").hasArg().argName("EXE").desc("network: a python3 with torch (default /usr/bin/python3)").build()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        String subject = in.argument("what to benchmark (" + String.join(", ", SUBJECTS) + ")");
        if (!SUBJECTS.contains(subject)) {
            throw new UsageException("No benchmark '" + subject + "'. Available: " + String.join(", ", SUBJECTS));
        }
        PluginRegistry registry = in.get(PluginRegistry.class);
        if (!subject.equals("network") && in.option("threads", "").contains(",")) {
            throw new UsageException("--threads takes a list only for bench network");
        }
        if (subject.equals("overhead")) {
            String model = in.option("model", "mlp");
            if (!List.of("mlp", "ddpmpp").contains(model)) throw new UsageException("--model must be mlp or ddpmpp, got '" + model + "'");
            int n = in.intOption("n", model.equals("mlp") ? 2000 : 16, 1);
            return write(in, subject, new SamplingOverhead(registry, line -> in.err.println(line)).report(n, model));
        }
        if (subject.equals("network")) return write(in, subject, NetworkBenchRun.report(in, registry));
        int n = in.intOption("n", subject.equals("guides") ? 1000 : 4000, 100);
        List<String> sdes = List.of(in.option("sde", "vp,subvp,ve").split(","));
        for (String s : sdes) registry.get(PluginKind.SDE, s.trim()); // unknown names fail before any compute
        if (subject.equals("guides")) {
            GuideComparison bench = new GuideComparison(registry, n, line -> in.err.println(line));
            int code = write(in, subject, bench.report(sdes.stream().map(String::trim).toList()));
            String out = in.option("out", null);
            if (out != null) Files.writeString(Path.of(out.replaceFirst("\\.md$", "") + ".csv"), bench.csv()); // the table's numbers, beside it
            return code;
        }
        SamplerComparison bench = new SamplerComparison(registry, n, in.flag("quick"), line -> in.err.println(line));
        return write(in, subject, bench.report(sdes.stream().map(String::trim).toList()));
    }

    /** The markers around the part of a document that {@code sdex bench SUBJECT --out} regenerates. */
    static String begin(String subject) { return "<!-- generated by sdex bench " + subject + " -->"; }

    static String end(String subject) { return "<!-- end of sdex bench " + subject + " -->"; }

    /**
     * The new content of {@code file}: the report alone, or, when the file already has the
     * subject's {@link #begin} and {@link #end} markers, the file with only the text between them
     * replaced (so hand-written notes around a generated table, and other subjects' tables in
     * the same file, survive regeneration).
     */
    static String spliced(Path file, String subject, String report) throws java.io.IOException {
        if (!Files.exists(file)) return report;
        String old = Files.readString(file);
        int b = old.indexOf(begin(subject));
        int e = old.indexOf(end(subject));
        if (b < 0 || e < b) return report;
        return old.substring(0, b + begin(subject).length()) + "\n" + report + old.substring(e);
    }

    private static int write(Invocation in, String subject, String report) throws java.io.IOException {
        String out = in.option("out", null);
        if (out == null) {
            in.out.print(report);
        } else {
            Path p = Path.of(out);
            if (p.getParent() != null) Files.createDirectories(p.getParent());
            Files.writeString(p, spliced(p, subject, report));
            in.out.println("wrote " + p);
        }
        return ExitCode.OK;
    }
}
