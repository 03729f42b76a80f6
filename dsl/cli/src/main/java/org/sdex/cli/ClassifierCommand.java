package org.sdex.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.core.classify.ClassifierCheckpoint;
import org.sdex.core.classify.ClassifierEvaluation;
import org.sdex.core.classify.ClassifierNetwork;
import org.sdex.core.classify.ClassifierSettings;
import org.sdex.core.classify.ClassifierTraining;
import org.sdex.core.classify.LabelledSplit;
import org.sdex.core.classify.PluginChoice;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.data.MissingDataException;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

/**
 * {@code sdex classifier train|eval}: image classifiers trained by sdex on a labelled data set, clean
 * (to judge class-conditional samples, and as the feature network of {@code sdex eval --features}) or
 * noise-conditional on an SDE's x_t (for classifier guidance). {@code eval} reports a checkpoint's
 * accuracy on the test split of the data set it was trained on.
 */
final class ClassifierCommand implements Command {
    @Override public String name() { return "classifier"; }

    @Override public String arguments() { return "train|eval [CKPT] [options]"; }

    @Override public String summary() { return "train an image classifier (clean or noise-conditional) or report a checkpoint's test accuracy"; }

    @Override
    public Options options() {
        ClassifierSettings d = ClassifierSettings.defaults();
        return Command.withCommon(new Options()
                .addOption(Option.builder().longOpt("dataset").hasArg().argName("NAME").desc("train: the labelled data set, e.g. fashion, mnist, cifar10").build())
                .addOption(Option.builder().longOpt("centered").desc("train: pixels in [-1, 1] as score models trained with centered: true see them (default [0, 1])").build())
                .addOption(Option.builder().longOpt("noise-conditional").hasArg().argName("SDE")
                        .desc("train: classify x_t of this SDE (vp, subvp, ve, with default parameters) at t ~ U[eps, T]; default: a clean classifier").build())
                .addOption(Option.builder().longOpt("steps").hasArg().argName("N").desc("train: steps (default " + d.steps() + ")").build())
                .addOption(Option.builder().longOpt("batch").hasArg().argName("N").desc("train: batch size (default " + d.batchSize() + ")").build())
                .addOption(Option.builder().longOpt("lr").hasArg().argName("X").desc("train: Adam's learning rate (default " + d.lr() + ", warm-up " + d.warmup() + " steps)").build())
                .addOption(Option.builder().longOpt("channels").hasArg().argName("C1,C2,...").desc("train: channels of the stages (default 32,64,128)").build())
                .addOption(Option.builder().longOpt("features").hasArg().argName("N").desc("train: width of the feature vector (default " + d.features() + ")").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("train: seed of the weights and batches (default 0)").build())
                .addOption(Option.builder().longOpt("eval-every").hasArg().argName("N").desc("train: held-out accuracy every N steps (default " + d.evalEvery() + ")").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                        .desc("train: output folder, continued when it holds this classifier's checkpoints (default runs/classifier-NAME[-SDE])").build())
                .addOption(Command.data()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        List<String> args = in.line.getArgList();
        if (args.isEmpty()) throw new UsageException("needs train or eval");
        return switch (args.get(0)) {
            case "train" -> {
                if (args.size() > 1) throw new UsageException("unexpected argument '" + args.get(1) + "'");
                yield train(in);
            }
            case "eval" -> {
                if (args.size() != 2) throw new UsageException(args.size() < 2 ? "eval needs CKPT (a checkpoint file or a classifier's folder)" : "unexpected argument '" + args.get(2) + "'");
                yield eval(in, Path.of(args.get(1)));
            }
            default -> throw new UsageException("unknown action '" + args.get(0) + "'; accepted: train, eval");
        };
    }

    private int train(Invocation in) throws Exception {
        String dataset = in.option("dataset", null);
        if (dataset == null) throw new UsageException("train needs --dataset NAME (a labelled image data set, e.g. fashion)");
        Map<String, Object> params = new LinkedHashMap<>();
        if (in.flag("centered")) params.put("centered", true);
        PluginChoice data = new PluginChoice(dataset, params);
        ClassifierSettings d = ClassifierSettings.defaults();
        ClassifierSettings s = d.withSteps(in.intOption("steps", d.steps(), 1))
                .withBatchSize(in.intOption("batch", d.batchSize(), 1))
                .withLearningRate(positive(in, "lr", d.lr()), d.warmup())
                .withNetwork(channels(in.option("channels", null), d.channels()), in.intOption("features", d.features(), 1))
                .withSeed(in.intOption("seed", 0, 0))
                .withIntervals(d.logEvery(), in.intOption("eval-every", d.evalEvery(), 1), d.evalExamples(), d.checkpointEvery());
        String sdeName = in.option("noise-conditional", null);
        PluginChoice sdeChoice = sdeName == null ? null : PluginChoice.of(sdeName);
        PluginRegistry registry = in.get(PluginRegistry.class);
        Sde sde = sdeChoice == null ? null : sde(registry, sdeChoice);
        LabelledSplit train = split(registry, data, in.dataRoot(), "train");
        LabelledSplit test = split(registry, data, in.dataRoot(), "test");
        Path out = Path.of(in.option("out", "runs/classifier-" + dataset + (sdeName == null ? "" : "-" + sdeName)));
        in.out.printf(Locale.ROOT, "training a %s classifier on %s (%d training, %d test images) into %s%n",
                sde == null ? "clean" : sdeName + " noise-conditional", data, train.size(), test.size(), out);
        ClassifierTraining training = new ClassifierTraining(s, train, test, data, sde, sdeChoice);
        // SameDiff prints a line per differentiated op when it builds the gradient graph
        ClassifierTraining.Result r = ForeignStdout.divertDuring(() -> training.run(out, in.out::println));
        in.out.printf(Locale.ROOT, "test accuracy %.4f on %d images after %d steps; checkpoint %s%n",
                r.accuracy(), r.scores().get(0).examples(), r.step(), r.checkpoint());
        return ExitCode.OK;
    }

    private int eval(Invocation in, Path ckpt) throws Exception {
        ClassifierCheckpoint c = ClassifierCheckpoint.load(ckpt);
        PluginRegistry registry = in.get(PluginRegistry.class);
        ClassifierNetwork net = c.network(choice -> sde(registry, choice));
        LabelledSplit test = split(registry, c.data(), in.dataRoot(), "test");
        if (!java.util.Arrays.equals(test.exampleShape(), c.architecture().exampleShape())) {
            throw new SdexException(test.name() + " has images " + java.util.Arrays.toString(test.exampleShape())
                    + ", the classifier takes " + java.util.Arrays.toString(c.architecture().exampleShape()));
        }
        int bins = c.settings().path("noiseBins").asInt(5);
        double eps = c.settings().path("eps").asDouble(1e-5);
        in.out.printf(Locale.ROOT, "%s (step %d, %s%s) on %s:%n", c.file(), c.step(), c.data(),
                c.sde() == null ? ", clean" : ", noise-conditional on " + c.sde(), test.name());
        List<ClassifierEvaluation.Score> scores = ForeignStdout.divertDuring(() -> ClassifierEvaluation.byNoiseLevel(net, test, 0, bins, eps));
        for (ClassifierEvaluation.Score s : scores) {
            in.out.printf(Locale.ROOT, "  %saccuracy %.4f, cross-entropy %.4f on %d images%n",
                    Double.isNaN(s.t()) ? "" : String.format(Locale.ROOT, "t = %.3f: ", s.t()), s.accuracy(), s.crossEntropy(), s.examples());
        }
        return ExitCode.OK;
    }

    private static Sde sde(PluginRegistry registry, PluginChoice choice) {
        SdePlugin p = registry.plugin(PluginKind.SDE, choice.name(), SdePlugin.class);
        return p.create(Params.of(p, choice.params()));
    }

    private static LabelledSplit split(PluginRegistry registry, PluginChoice data, Path root, String split) {
        DatasetPlugin p = registry.plugin(PluginKind.DATASET, data.name(), DatasetPlugin.class);
        try {
            return LabelledSplit.read(data.name() + " " + split,
                    p.open(Params.of(p, data.params()), new DataContext(root, DataType.FLOAT, split)), DataType.FLOAT);
        } catch (MissingDataException e) {
            throw new SdexException(data.name() + " " + split + ": " + e.getMessage());
        }
    }

    private static double positive(Invocation in, String name, double fallback) {
        String v = in.option(name, null);
        if (v == null) return fallback;
        try {
            double x = Double.parseDouble(v.trim());
            if (x > 0 && Double.isFinite(x)) return x;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a number > 0, got '" + v + "'");
    }

    private static List<Integer> channels(String v, List<Integer> fallback) {
        if (v == null) return fallback;
        List<Integer> out = new ArrayList<>();
        try {
            for (String p : v.split(",")) out.add(Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
            out.clear();
        }
        if (out.isEmpty() || out.stream().anyMatch(c -> c < 1)) {
            throw new UsageException("--channels takes integers >= 1 separated by commas, e.g. 32,64,128; got '" + v + "'");
        }
        return out;
    }
}
