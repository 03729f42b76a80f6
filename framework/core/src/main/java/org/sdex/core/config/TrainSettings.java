package org.sdex.core.config;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;

/**
 * The {@code train} block: continuous denoising score matching (Song et al. 2021, Eq. 7) with Adam,
 * linear learning-rate warm-up, global-norm gradient clipping and an EMA of the weights.
 * Defaults follow the reference's configs where one exists.
 */
public record TrainSettings(int steps, int batchSize, double lr, int warmup, double gradClip, double ema,
                            boolean reduceMean, boolean likelihoodWeighting, double eps,
                            int checkpointEvery, int keepCheckpoints, int logEvery,
                            double beta1, double beta2, double adamEps, double weightDecay, int seed,
                            int evalEvery, int evalBatches, int sampleEvery, int sampleGrid, boolean tensorboard,
                            String lrDecay) {

    public static final List<Param> PARAMS = List.of(
            Param.integer("steps", 1000, "training iterations").min(1),
            Param.integer("batchSize", 128, "examples per iteration").min(1),
            Param.real("lr", 2e-4, "Adam learning rate (after warm-up)").positive(),
            Param.integer("warmup", 0, "iterations of linear learning-rate warm-up (0 = none)").min(0),
            Param.real("gradClip", 1.0, "clip the global gradient norm to this (0 = no clipping)").min(0),
            Param.real("ema", 0.9999, "decay of the exponential moving average of the weights").min(0).max(1),
            Param.bool("reduceMean", true, "average the loss over data dimensions (false: half the sum, as the reference)"),
            Param.bool("likelihoodWeighting", false, "weight the loss by g(t)^2 (Song et al. 2021b, maximum-likelihood training)"),
            Param.real("eps", 1e-5, "smallest time sampled in training, t ~ U(eps, T)").positive().max(1),
            Param.integer("checkpointEvery", 500, "write a checkpoint every this many steps (and at the end)").min(1),
            Param.integer("keepCheckpoints", 3, "how many recent checkpoints to keep").min(1),
            Param.integer("logEvery", 50, "write the loss to metrics.jsonl every this many steps").min(1),
            Param.real("beta1", 0.9, "Adam beta1").min(0).max(1),
            Param.real("beta2", 0.999, "Adam beta2").min(0).max(1),
            Param.real("adamEps", 1e-8, "Adam epsilon").positive(),
            Param.real("weightDecay", 0.0, "L2 weight decay added to the gradient").min(0),
            Param.integer("seed", 0, "seed of weight initialisation and training noise (default: the experiment's seed)").min(0),
            Param.integer("evalEvery", 0, "DSM loss of the EMA weights on the test split every this many steps (0 = never)").min(0),
            Param.integer("evalBatches", 4, "batches of the test split in each evaluation (the same ones every time)").min(1),
            Param.integer("sampleEvery", 0, "sample grid with the EMA weights every this many steps, via the sample block (0 = never)").min(0),
            Param.integer("sampleGrid", 64, "samples in each grid").min(1),
            Param.bool("tensorboard", true, "also write the metrics as TensorBoard event files (run/tensorboard)"),
            Param.choice("lrDecay", "none", "after warm-up: constant lr (none) or a cosine decay to 0 at the last step", "none", "cosine"));

    public static TrainSettings from(Params p) {
        return new TrainSettings(p.integer("steps"), p.integer("batchSize"), p.real("lr"), p.integer("warmup"),
                p.real("gradClip"), p.real("ema"), p.bool("reduceMean"), p.bool("likelihoodWeighting"),
                p.real("eps"), p.integer("checkpointEvery"), p.integer("keepCheckpoints"), p.integer("logEvery"),
                p.real("beta1"), p.real("beta2"), p.real("adamEps"), p.real("weightDecay"), p.integer("seed"),
                p.integer("evalEvery"), p.integer("evalBatches"), p.integer("sampleEvery"), p.integer("sampleGrid"),
                p.bool("tensorboard"), p.string("lrDecay"));
    }
}
