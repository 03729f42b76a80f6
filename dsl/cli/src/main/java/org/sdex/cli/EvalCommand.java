package org.sdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.error.SdexException;
import org.sdex.core.evaluate.ClassifierFeatures;
import org.sdex.core.run.Npy;
import org.sdex.metrics.FrechetDistance;
import org.sdex.metrics.InceptionFeatures;
import org.sdex.metrics.KernelInceptionDistance;
import org.sdex.spi.random.Rng;

/**
 * {@code sdex eval SAMPLES.npy REFERENCE.npy}: FID and KID between two image sets through the FID
 * Inception-v3, each number with the sample size it was computed at and, where the reference holds
 * twice as many images, the same distance between two disjoint halves of the reference (what two real
 * sets of that size score: FID is biased upwards at small sizes). {@code --features CKPT} uses the
 * feature vectors of a clean sdex classifier instead (MNIST, Fashion-MNIST).
 */
final class EvalCommand implements Command {
    @Override public String name() { return "eval"; }

    @Override public String arguments() { return "SAMPLES.npy REFERENCE.npy [options]"; }

    @Override public String summary() { return "FID and KID of image samples against reference images (Inception-v3 features)"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Option.builder().longOpt("inception").hasArg().argName("FILE")
                        .desc("the FID Inception weights " + InceptionFeatures.WEIGHTS_FILE + " (default: ~/.sdex/" + InceptionFeatures.WEIGHTS_FILE + ")").build())
                .addOption(Option.builder().longOpt("features").hasArg().argName("CKPT")
                        .desc("features of a clean classifier of sdex classifier train instead of Inception (for MNIST/Fashion; comparable between sdex runs only)").build())
                .addOption(Option.builder().longOpt("range").hasArg().argName("LO,HI")
                        .desc("the value range of both sets' pixels, mapped to [0, 1] (default 0,1; sdex's centred data: -1,1)").build())
                .addOption(Option.builder().longOpt("kid-subsets").hasArg().argName("N").desc("KID subsets (default 100)").build())
                .addOption(Option.builder().longOpt("kid-subset-size").hasArg().argName("N").desc("rows per KID subset (default 1000)").build())
                .addOption(Option.builder().longOpt("batch").hasArg().argName("N").desc("images per Inception pass (default 16)").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("seed of the KID subsets (default 0)").build()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        List<String> args = in.line.getArgList();
        if (args.size() != 2) throw new UsageException(args.size() < 2 ? "needs SAMPLES.npy and REFERENCE.npy" : "unexpected argument '" + args.get(2) + "'");
        String home = System.getProperty("user.home");
        Path weights = Path.of(in.option("inception", Path.of(home, ".sdex", InceptionFeatures.WEIGHTS_FILE).toString()));
        double[] range = range(in.option("range", "0,1"));
        INDArray samples = images(Path.of(args.get(0)), range);
        INDArray reference = images(Path.of(args.get(1)), range);
        int batch = in.intOption("batch", 16, 1);
        INDArray fs;
        INDArray fr;
        String classifier = in.option("features", null);
        if (classifier != null) {
            ClassifierFeatures net = ClassifierFeatures.open(Path.of(classifier), null, batch);
            fs = classifierFeatures(net, samples, args.get(0));
            fr = classifierFeatures(net, reference, args.get(1));
        } else {
            try (InceptionFeatures net = InceptionFeatures.load(weights)) {
                fs = net.features(samples, batch);
                fr = net.features(reference, batch);
            }
        }
        int subsets = in.intOption("kid-subsets", 100, 1);
        int size = in.intOption("kid-subset-size", 1000, 2);
        long seed = in.intOption("seed", 0, 0);
        long n = fs.size(0);
        in.out.println("| | n | FID | KID (x1e3) mean ± s.e. |");
        in.out.println("|---|---:|---:|---:|");
        row(in, "samples vs reference", fs, fr, subsets, size, seed);
        if (fr.size(0) >= 2 * n) {
            row(in, "reference vs reference (disjoint halves, same n)", fr.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()),
                    fr.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()), subsets, size, seed);
        } else {
            in.out.printf("| reference vs reference | | n/a: the reference holds %d images, fewer than 2 x %d | |%n", fr.size(0), n);
        }
        if (classifier != null) in.out.println("(features of classifier " + classifier + ": comparable between sdex runs only, not with Inception FIDs)");
        return ExitCode.OK;
    }

    /** The classifier's features of images in [0, 1] of {@code file}, which must have the classifier's image shape. */
    private static INDArray classifierFeatures(ClassifierFeatures net, INDArray images, String file) {
        long[] want = net.imageShape();
        if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(images.shape(), 1, 4), want)) {
            throw new SdexException(file + ": images " + java.util.Arrays.toString(images.shape()) + " do not fit the classifier's "
                    + java.util.Arrays.toString(want));
        }
        return net.features(images);
    }

    private static void row(Invocation in, String what, INDArray a, INDArray b, int subsets, int size, long seed) {
        double fid = FrechetDistance.between(a, b);
        KernelInceptionDistance.Result kid = KernelInceptionDistance.between(a, b, subsets, size, new Rng(seed));
        in.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f ± %.3f |%n", what, Math.min(a.size(0), b.size(0)), fid,
                kid.mean() * 1e3, kid.standardError() * 1e3);
    }

    private static double[] range(String s) {
        String[] p = s.split(",");
        try {
            double lo = Double.parseDouble(p[0].trim());
            double hi = Double.parseDouble(p[1].trim());
            if (p.length == 2 && Double.isFinite(lo) && Double.isFinite(hi) && hi > lo) return new double[] {lo, hi};
        } catch (RuntimeException e) {
            // below
        }
        throw new UsageException("--range takes LO,HI with LO < HI, e.g. 0,1 or -1,1; got '" + s + "'");
    }

    /** Images [N, C, H, W] (C = 1 or 3, or [N, H, W] gray) from a .npy file, mapped from the range to [0, 1]. */
    private static INDArray images(Path file, double[] range) {
        if (!Files.isRegularFile(file)) throw new UsageException("no file '" + file + "'");
        INDArray x = Npy.read(file).castTo(DataType.FLOAT);
        if (x.rank() == 3) x = x.reshape(x.size(0), 1, x.size(1), x.size(2));
        if (x.rank() != 4 || (x.size(1) != 1 && x.size(1) != 3) || x.size(0) < 2) {
            throw new SdexException(file.getFileName() + ": needs images [N >= 2, C, H, W] with C = 1 or 3, got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        double min = x.minNumber().doubleValue();
        double max = x.maxNumber().doubleValue();
        double slack = 1e-3 * (range[1] - range[0]);
        if (!(min >= range[0] - slack && max <= range[1] + slack)) {
            throw new SdexException(String.format(Locale.ROOT, "%s: values lie in [%.3g, %.3g], outside --range %s,%s",
                    file.getFileName(), min, max, range[0], range[1]));
        }
        return x.sub(range[0]).divi(range[1] - range[0]);
    }
}
