package org.sdex.dsl;

import org.sdex.core.config.Section;
import org.sdex.core.vocabulary.Vocabulary;

/**
 * {@code train { ... }}: one typed method per setting of {@link Vocabulary#TRAIN}, for IDE completion
 * (the vocabulary holds the defaults, ranges and descriptions; {@code sdex describe train} lists them).
 * Numbers arrive as written ({@code Number}): Groovy would silently truncate a too-large integer
 * to an int and fail without the setting's name on a real that overflows a double.
 */
public class TrainSpec extends BlockSpec {
    TrainSpec(ScriptContext context, Section section) { super(context, Vocabulary.TRAIN, section); }

    public void steps(Number n) { set("steps", n); }

    public void batchSize(Number n) { set("batchSize", n); }

    public void lr(Number v) { set("lr", v); }

    public void warmup(Number steps) { set("warmup", steps); }

    public void gradClip(Number norm) { set("gradClip", norm); }

    public void ema(Number decay) { set("ema", decay); }

    public void reduceMean(boolean on) { set("reduceMean", on); }

    public void likelihoodWeighting(boolean on) { set("likelihoodWeighting", on); }

    public void eps(Number t) { set("eps", t); }

    public void checkpointEvery(Number steps) { set("checkpointEvery", steps); }

    public void keepCheckpoints(Number n) { set("keepCheckpoints", n); }

    public void logEvery(Number steps) { set("logEvery", steps); }

    public void beta1(Number v) { set("beta1", v); }

    public void beta2(Number v) { set("beta2", v); }

    public void adamEps(Number v) { set("adamEps", v); }

    public void weightDecay(Number v) { set("weightDecay", v); }

    /** Class-conditional models: probability that an example's class becomes the null label. */
    public void labelDropout(Number p) { set("labelDropout", p); }

    public void seed(Number seed) { set("seed", seed); }

    /** Held-out DSM loss of the EMA weights every this many steps (0 = never). */
    public void evalEvery(Number steps) { set("evalEvery", steps); }

    public void evalBatches(Number n) { set("evalBatches", n); }

    /** A sample grid with the EMA weights every this many steps, drawn with the sample block (0 = never). */
    public void sampleEvery(Number steps) { set("sampleEvery", steps); }

    public void sampleGrid(Number n) { set("sampleGrid", n); }

    public void tensorboard(boolean on) { set("tensorboard", on); }

    /** 'none' or 'cosine' (decay to 0 at the last step, after the warm-up). */
    public void lrDecay(String kind) { set("lrDecay", kind); }
}
