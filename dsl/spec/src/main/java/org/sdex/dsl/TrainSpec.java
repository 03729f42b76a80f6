package org.sdex.dsl;

import org.sdex.core.config.Section;

/**
 * {@code train { ... }}: one typed method per setting of {@link org.sdex.core.config.TrainSettings}
 * (which holds the defaults, ranges and descriptions; {@code sdex describe train} lists them).
 */
public class TrainSpec extends BlockSpec {
    TrainSpec(ScriptContext context, Section section) { super(context, "train", section); }

    public void steps(int n) { set("steps", n); }

    public void batchSize(int n) { set("batchSize", n); }

    public void lr(double v) { set("lr", v); }

    public void warmup(int steps) { set("warmup", steps); }

    public void gradClip(double norm) { set("gradClip", norm); }

    public void ema(double decay) { set("ema", decay); }

    public void reduceMean(boolean on) { set("reduceMean", on); }

    public void likelihoodWeighting(boolean on) { set("likelihoodWeighting", on); }

    public void eps(double t) { set("eps", t); }

    public void checkpointEvery(int steps) { set("checkpointEvery", steps); }

    public void keepCheckpoints(int n) { set("keepCheckpoints", n); }

    public void logEvery(int steps) { set("logEvery", steps); }

    public void beta1(double v) { set("beta1", v); }

    public void beta2(double v) { set("beta2", v); }

    public void adamEps(double v) { set("adamEps", v); }

    public void weightDecay(double v) { set("weightDecay", v); }

    public void seed(int seed) { set("seed", seed); }

    /** Held-out DSM loss of the EMA weights every this many steps (0 = never). */
    public void evalEvery(int steps) { set("evalEvery", steps); }

    public void evalBatches(int n) { set("evalBatches", n); }

    /** A sample grid with the EMA weights every this many steps, drawn with the sample block (0 = never). */
    public void sampleEvery(int steps) { set("sampleEvery", steps); }

    public void sampleGrid(int n) { set("sampleGrid", n); }

    public void tensorboard(boolean on) { set("tensorboard", on); }

    /** 'none' or 'cosine' (decay to 0 at the last step, after the warm-up). */
    public void lrDecay(String kind) { set("lrDecay", kind); }
}
