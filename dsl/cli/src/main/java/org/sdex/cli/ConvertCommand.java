package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.sdex.core.interop.HostTensor;
import org.sdex.core.interop.ReferenceWeights;
import org.sdex.core.interop.Safetensors;
import org.sdex.core.interop.TorchFile;

/**
 * {@code sdex convert IN OUT}: weights between PyTorch files (score_sde_pytorch checkpoints, state
 * dicts) and safetensors, by the reference's names. PyTorch files are read with sdex's restricted
 * unpickler, so a hostile file is refused, never run; OUT is written atomically or not at all.
 */
final class ConvertCommand implements Command {
    @Override public String name() { return "convert"; }

    @Override public String arguments() { return "IN OUT [options]"; }

    @Override public String summary() { return "convert weights: PyTorch .pth/.pt (score_sde_pytorch checkpoints, state dicts) <-> .safetensors"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Option.builder().longOpt("weights").hasArg().argName("ema|model")
                        .desc("of a score_sde_pytorch checkpoint: the EMA weights (default) or the raw model weights").build()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        List<String> args = in.line.getArgList();
        if (args.size() != 2) throw new UsageException(args.size() < 2 ? "missing " + (args.isEmpty() ? "IN and OUT" : "OUT") : "unexpected argument '" + args.get(2) + "'");
        Path source = Path.of(args.get(0));
        Path target = Path.of(args.get(1));
        if (!Files.isRegularFile(source)) throw new UsageException("no file '" + source + "'");
        if (!isTorch(target) && !target.toString().endsWith(".safetensors")) {
            throw new UsageException("OUT must end in .safetensors, .pth or .pt, got '" + target.getFileName() + "'");
        }
        ReferenceWeights.Choice choice = ReferenceWeights.Choice.of(in.option("weights", "ema"));
        Map<String, HostTensor> tensors = ReferenceWeights.read(source, choice, null);
        if (isTorch(target)) TorchFile.write(target, tensors);
        else Safetensors.write(target, tensors, Map.of("format", "pt", "producer", "sdex convert"));
        long values = tensors.values().stream().mapToLong(HostTensor::numel).sum();
        in.out.printf("%s: %d tensors, %,d values -> %s%n", source.getFileName(), tensors.size(), values, target);
        return ExitCode.OK;
    }

    private static boolean isTorch(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".pth") || n.endsWith(".pt");
    }
}
