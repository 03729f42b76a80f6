package org.sdex.core.train;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.SdexException;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.LabelledDraw;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/**
 * The denoising score matching loss on held-out data, with whatever weights the network holds (the
 * EMA weights during a run). The batches, times and noise are drawn once from a fixed seed, so
 * successive evaluations differ only by the weights and the curve is comparable across steps.
 * A class-conditional network is evaluated given each example's class (no label dropout).
 * Only forward passes: no gradients, no optimizer state touched.
 */
public final class Evaluator {
    private final ScoreNetwork net;
    private final boolean reduceMean;
    private final List<INDArray[]> batches = new ArrayList<>();

    public Evaluator(ScoreNetwork net, Sde sde, Dataset heldOut, TrainSettings settings, long seed) {
        this.net = net;
        this.reduceMean = settings.reduceMean();
        Rng rng = new Rng(seed).fork(0xE7A1L);
        int b = settings.batchSize();
        long available = heldOut.size().orElse(Long.MAX_VALUE);
        DataType type = net.dataType();
        for (int i = 0; i < settings.evalBatches(); i++) {
            long from = (long) i * b;
            long start = from % Math.max(1, available - b + 1);
            int count = (int) Math.min(b, available);
            INDArray x0;
            INDArray classes = null;
            if (net.classes() == 0) {
                x0 = heldOut.size().isPresent() ? heldOut.examples(start, count) : heldOut.sample(b, rng);
            } else if (heldOut.size().isPresent()) {
                x0 = heldOut.examples(start, count);
                classes = Nd4j.createFromArray(heldOut.labels(start, count).orElseThrow(() -> new SdexException(
                        "the held-out split of " + heldOut + " has no class labels, which the class-conditional network's loss needs")));
            } else {
                LabelledDraw draw = heldOut.sampleLabelled(b, rng);
                x0 = draw.examples();
                classes = Nd4j.createFromArray(draw.labels());
            }
            int n = (int) x0.size(0);
            double[] alpha = new double[n], sigma = new double[n], label = new double[n], weight = new double[n];
            for (int k = 0; k < n; k++) {
                double t = settings.eps() + (sde.T() - settings.eps()) * rng.nextDouble();
                alpha[k] = sde.meanScale(t);
                sigma[k] = sde.marginalStd(t);
                label[k] = sde.noiseLabel().value(sde, t);
                double g = sde.diffusion(t);
                weight[k] = settings.likelihoodWeighting() ? g * g / (sigma[k] * sigma[k]) : 1.0;
            }
            INDArray z = rng.normal(type, x0.shape());
            INDArray shapeA = Nd4j.create(alpha, new long[] {n}, type);
            INDArray shapeS = Nd4j.create(sigma, new long[] {n}, type);
            INDArray x = x0.castTo(type).dup();
            long d = x.length() / n;
            INDArray xt = x.reshape(n, d).mulColumnVector(shapeA.reshape(n, 1))
                    .addi(z.reshape(n, d).mulColumnVector(shapeS.reshape(n, 1))).reshape(x0.shape());
            batches.add(new INDArray[] {xt, Nd4j.create(label, new long[] {n}, type), z, Nd4j.create(weight, new long[] {n}, DataType.DOUBLE),
                classes});
        }
    }

    /** The mean loss over the fixed held-out batches, defined exactly as the training loss. */
    public double loss() {
        double total = 0;
        long count = 0;
        for (INDArray[] b : batches) {
            INDArray eps = net.predictNoise(b[0], b[1], b[4]).castTo(DataType.DOUBLE);
            long n = eps.size(0);
            long d = eps.length() / n;
            INDArray diff = eps.reshape(n, d).subi(b[2].castTo(DataType.DOUBLE).reshape(n, d));
            INDArray sq = diff.muli(diff);
            INDArray perExample = reduceMean ? sq.mean(1) : sq.sum(1).muli(0.5);
            total += perExample.muli(b[3]).sumNumber().doubleValue();
            count += n;
        }
        return total / count;
    }
}
