package org.sdex.core.vocabulary;

import java.util.List;
import org.sdex.core.config.LikelihoodSettings;
import org.sdex.core.evaluate.ImageMetrics;
import org.sdex.spi.Param;
import org.sdex.spi.PluginKind;

/**
 * Every block and setting of the experiment DSL, declared once. A setting is one {@link Param}
 * line here plus the code that uses it (a component of the block's settings record, e.g.
 * {@link org.sdex.core.config.TrainSettings}, bound by name); a block is one {@link Block} here,
 * listed in {@link #EXPERIMENT}, plus its use in the validator and runner. Scripts, {@code --set},
 * the validator, {@code sdex describe} and docs/dsl.md's reference tables read nothing else.
 */
public final class Vocabulary {
    private Vocabulary() {}

    static final String EXPERIMENT_NAME = "experiment";

    public static final Block TRAIN = Block.of("train",
            "training by denoising score matching (Adam, warm-up, gradient clipping, EMA of the weights)",
            List.of(
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
                    Param.real("labelDropout", 0.1, "class-conditional models: probability that an example's class is replaced by"
                            + " the null label, so the network also learns the unconditional score (classifier-free guidance)").min(0).below(1),
                    Param.integer("seed", 0, "seed of weight initialisation and training noise (default: the experiment's seed)").min(0),
                    Param.integer("evalEvery", 0, "DSM loss of the EMA weights on the test split every this many steps (0 = never)").min(0),
                    Param.integer("evalBatches", 4, "batches of the test split in each evaluation (the same ones every time)").min(1),
                    Param.integer("sampleEvery", 0, "sample grid with the EMA weights every this many steps, via the sample block (0 = never)").min(0),
                    Param.integer("sampleGrid", 64, "samples in each grid").min(1),
                    Param.bool("tensorboard", true, "also write the metrics as TensorBoard event files (run/tensorboard)"),
                    Param.choice("lrDecay", "none", "after warm-up: constant lr (none) or a cosine decay to 0 at the last step", "none", "cosine")));

    public static final Block SAMPLE = Block.of("sample",
            "sampling: predictor/corrector (default euler_maruyama/none), or the probability-flow ode, or a fast solver",
            List.of(
                    Param.integer("steps", 1000, "steps from T to eps (predictor-corrector, fixed-step ode, solver; a solver's own default when unset)").min(1),
                    Param.integer("n", 1000, "number of samples").min(1),
                    Param.integer("batchSize", 0, "samples per batch (0 = all at once)").min(0),
                    Param.real("eps", 1e-3, "last time of the reverse process (the reference's sampling eps)").positive().max(1),
                    Param.bool("denoise", true, "end with the noise-free estimate (last step's mean; Tweedie's formula after an ode)"),
                    Param.bool("probabilityFlow", false, "predictors follow the probability-flow ODE instead of the reverse SDE"),
                    Param.bool("plot", true, "write a plot of the samples (scatter for 2-D data)"),
                    Param.integer("seed", 0, "seed of the sampler's noise (default: the experiment's seed)").min(0)),
            PluginChoice.of("predictor", PluginKind.PREDICTOR, "euler_maruyama", "the predictor of the predictor-corrector loop"),
            PluginChoice.of("corrector", PluginKind.CORRECTOR, "none", "the corrector of the predictor-corrector loop"),
            PluginChoice.of("ode", PluginKind.ODE_SOLVER, null, "sample by integrating the probability-flow ODE with this solver instead"),
            PluginChoice.of("solver", PluginKind.SOLVER, null, "sample with this whole-trajectory solver instead"));

    public static final Block LIKELIHOOD = Block.of("likelihood",
            "exact log-likelihood / bits per dimension through the probability-flow ODE; latent codes",
            List.of(
                    Param.choice("split", "test", "which split of a finite data set to evaluate", "test", "train"),
                    Param.integer("n", 1000, "points: the first n of the split (0 = all), or n fresh draws of a distribution").min(0),
                    Param.integer("batchSize", 100, "points per ODE solve").min(1),
                    Param.choice("trace", "auto", "divergence: exact (one VJP per dimension), hutchinson (random probes), "
                            + "auto (exact up to " + LikelihoodSettings.EXACT_TRACE_MAX_DIMS + " dimensions)", "auto", "exact", "hutchinson"),
                    Param.choice("probes", "rademacher", "Hutchinson probe distribution", "rademacher", "gaussian"),
                    Param.integer("k", 1, "Hutchinson probes per point (fixed over the solve, as the reference)").min(1),
                    Param.real("eps", 1e-5, "time the data are taken at; the ODE runs from eps to T").positive().max(1),
                    Param.integer("repeats", 1, "dequantization draws per image for bits/dim (the paper's evaluation uses several)").min(1),
                    Param.bool("roundTrip", true, "decode the latents back and report the reconstruction error"),
                    Param.integer("interpolate", 0, "frames of a spherical interpolation between two latents (image strip; 0 = none)").min(0),
                    Param.integer("seed", 0, "seed of probes, draws and dequantization (default: the experiment's seed)").min(0)),
            PluginChoice.of("ode", PluginKind.ODE_SOLVER, "rk45", "the solver of the probability-flow ODE (rk45 with rtol = atol = 1e-5 by default)"));

    public static final Block EVALUATE = Block.of("evaluate",
            "FID and KID of the samples against a split of the image data set, beside a real-vs-real baseline at the same sizes",
            List.of(
                    Param.choice("split", "test", "the reference images: this split of the data set", "test", "train"),
                    Param.integer("n", 0, "reference images: the first n of the split (0 = all of it)").min(0),
                    Param.choice("features", "inception", "the feature network: the FID Inception-v3 (comparable with papers),"
                            + " or an sdex classifier (MNIST/Fashion; comparable between sdex runs with the same checkpoint only)",
                            "inception", "classifier"),
                    Param.string("checkpoint", "", "features 'classifier': a clean classifier's checkpoint or output folder"
                            + " (sdex classifier train; experiments/classifiers/*.sdex)"),
                    Param.string("inception", "", "features 'inception': the weights file " + ImageMetrics.INCEPTION_WEIGHTS
                            + " ('' = ~/.sdex/" + ImageMetrics.INCEPTION_WEIGHTS + ")"),
                    Param.integer("batchSize", 64, "images per pass of the feature network").min(1),
                    Param.integer("kidSubsets", 100, "KID: random subsets averaged (the standard error is over them)").min(2),
                    Param.integer("kidSubsetSize", 1000, "KID: rows per subset (at most the smaller set's size)").min(2),
                    Param.integer("seed", 0, "seed of the KID subsets (default: the experiment's seed)").min(0)));

    public static final Block CONDITION = Block.of("condition",
            "controllable generation: a guide steers the sample block towards observations y = A(x) + noise z or towards labels",
            List.of(
                    Param.choice("split", "test", "observations of the first n examples of this split (ground truth kept for PSNR/SSIM)", "test", "train"),
                    Param.integer("n", 64, "observations taken from the split; with labels, samples per label (the sample block's n is not used)").min(1),
                    Param.real("noise", 0.0, "std sigma_y of the Gaussian noise on the measurement (0 = noiseless)").min(0),
                    Param.string("observations", "", "a .npy of observations [n, A's output shape...] instead of the split (--observations overrides)"),
                    Param.ints("labels", List.of(), "the classes to sample, n each (classifier, cfg)"),
                    Param.string("classifier", "", "noise-conditional classifier checkpoint (classifier guide), or 'exact' for a Gaussian mixture's own"),
                    Param.string("judge", "", "clean classifier checkpoint that scores the accuracy of the samples against their labels"),
                    Param.integer("seed", 0, "seed of the measurement noise (default: the experiment's seed)").min(0)),
            PluginChoice.of("guide", PluginKind.GUIDE, null, "the conditioning guide (replace, classifier, cfg, dps, pigdm, ...)"),
            PluginChoice.of("operator", PluginKind.OPERATOR, null, "the measurement operator of an inverse problem (inpaint, superres, blur, ...)"));

    /** Read by {@code sdex sweep} only ({@code sdex run} ignores it); its grid, zip and random parts are its own syntax. */
    public static final Block SWEEP = Block.of("sweep", "settings to vary over many runs, by their --set keys, for sdex sweep", List.of());

    /** The experiment itself: its seed, the data, SDE and model plugins, and its blocks. */
    public static final Block EXPERIMENT = Block.of(EXPERIMENT_NAME, "one experiment: data, SDE, score model, and what to do with them",
            List.of(Param.integer("seed", 0, "seed of everything random in the experiment (a block's own seed overrides it)").min(0)),
            PluginChoice.of("data", PluginKind.DATASET, null, "the data set"),
            PluginChoice.of("sde", PluginKind.SDE, null, "the forward SDE"),
            PluginChoice.of("model", PluginKind.MODEL, null, "the score model").withSettings(
                    Param.string("init", "", "trained weights to start from: a run directory, an .sdex checkpoint, a .pth/.pt or"
                            + " .safetensors file ('' = none)"),
                    Param.choice("weights", "ema", "which weights of init: the EMA of a training checkpoint, or its raw model weights",
                            "ema", "model")))
            .nesting(TRAIN, SAMPLE, CONDITION, LIKELIHOOD, EVALUATE, SWEEP);

    /** The blocks a {@code sdex run} executes, in the order they run. */
    public static List<Block> runBlocks() { return List.of(TRAIN, SAMPLE, CONDITION, LIKELIHOOD, EVALUATE); }
}
