package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.sdex.core.bench.SamplerComparison;
import org.sdex.core.bench.SamplingOverhead;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.spi.PluginKind;

/**
 * {@code sdex bench samplers}: the quality-against-NFE table of every sampler plugin on the
 * Gaussian-mixture oracle (docs/samplers.md is its output).
 */
final class BenchCommand implements Command {
    static final List<String> SUBJECTS = List.of("samplers", "overhead");

    @Override public String name() { return "bench"; }

    @Override public String arguments() { return "samplers|overhead [options]"; }

    @Override public String summary() { return "samplers: quality vs NFE on the exact mixture score; overhead: sampler time outside the network"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE").desc("write the Markdown report to FILE (default: stdout)").build())
                .addOption(Option.builder().longOpt("n").hasArg().argName("N").desc("samples per sampler (default 4000; overhead: 2000)").build())
                .addOption(Option.builder().longOpt("sde").hasArg().argName("NAMES").desc("comma-separated SDEs (default: vp,subvp,ve)").build())
                .addOption(Option.builder().longOpt("quick").desc("one grid size per sampler").build())
                .addOption(Option.builder().longOpt("model").hasArg().argName("NAME").desc("overhead: mlp (default) or ddpmpp").build()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        String subject = in.argument("what to benchmark (" + String.join(", ", SUBJECTS) + ")");
        if (!SUBJECTS.contains(subject)) {
            throw new UsageException("No benchmark '" + subject + "'. Available: " + String.join(", ", SUBJECTS));
        }
        PluginRegistry registry = in.get(PluginRegistry.class);
        if (subject.equals("overhead")) {
            String model = in.option("model", "mlp");
            if (!List.of("mlp", "ddpmpp").contains(model)) throw new UsageException("--model must be mlp or ddpmpp, got '" + model + "'");
            int n = in.intOption("n", model.equals("mlp") ? 2000 : 16, 1);
            return write(in, new SamplingOverhead(registry, line -> in.err.println(line)).report(n, model));
        }
        int n = in.intOption("n", 4000, 100);
        List<String> sdes = List.of(in.option("sde", "vp,subvp,ve").split(","));
        for (String s : sdes) registry.get(PluginKind.SDE, s.trim()); // unknown names fail before any compute
        SamplerComparison bench = new SamplerComparison(registry, n, in.flag("quick"), line -> in.err.println(line));
        return write(in, bench.report(sdes.stream().map(String::trim).toList()));
    }

    private static int write(Invocation in, String report) throws java.io.IOException {
        String out = in.option("out", null);
        if (out == null) {
            in.out.print(report);
        } else {
            Path p = Path.of(out);
            if (p.getParent() != null) Files.createDirectories(p.getParent());
            Files.writeString(p, report);
            in.out.println("wrote " + p);
        }
        return ExitCode.OK;
    }
}
