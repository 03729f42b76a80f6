package org.sdex.plugins.models.ncsnpp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.models.LabelEmbedding;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;

/**
 * The NCSN++ / DDPM++ U-Net of Song et al. (ICLR 2021), following the reference's
 * models/ncsnpp.py module for module: noise-level embedding (Gaussian Fourier features of
 * log(label) or sinusoidal features of the label) and two dense layers; a 3x3 input conv; per
 * level {@code numResBlocks} residual blocks (with self-attention at the attention resolutions)
 * and a resampling block; an optional input pyramid; a middle block (res, attention, res); the
 * way up with {@code numResBlocks + 1} residual blocks per level fed by the skip connections, an
 * optional output pyramid and the output GroupNorm, swish and 3x3 conv.
 *
 * <p><b>Output.</b> The network predicts the noise; the kernel forms the score as
 * {@code -output / sigma(t)}. That is the reference exactly for VP and sub-VP SDEs (its
 * {@code score_fn} divides the model output by {@code -std}). For VE the reference sets
 * {@code scale_by_sigma} and reads the output h as {@code score = h / sigma}: that is this network
 * with the opposite sign of its output. The last layer(s) are linear with a symmetric
 * initialisation, so both parametrise the same functions with the same initial distribution and
 * the losses agree ({@code (h + z)^2} there, {@code (eps_hat - z)^2} here); no architecture needs
 * {@code scale_by_sigma}.
 *
 * <p><b>Input range.</b> When the data are not centred (images in [0, 1]) the network first maps
 * x to {@code 2x - 1}, as the reference does when {@code data.centered} is false.
 *
 * <p><b>Dropout.</b> {@link #define(SameDiff, SDVariable, SDVariable)} builds the eval graph, in which
 * dropout is the identity (the reference's {@code model.eval()}); the kernel trains through
 * {@link #defineForTraining}, the same network with dropout, whose batch size is fixed.
 *
 * <p><b>Weights.</b> Named by the reference's state-dict keys and shaped as there but for the
 * convolution weights, stored [kh, kw, in, out] ({@link #storedAxes}, see {@link Layers}); the paper's CIFAR-10 configs have exactly the reference's parameter counts.
 * The Gaussian Fourier frequencies ({@code all_modules.0.W}, frozen in the reference) are a
 * constant. An unconditional network ({@code conditional false}) omits the residual blocks'
 * {@code Dense_0}, which the reference creates but never uses. A class-conditional network
 * ({@code classes > 0}) adds its {@link LabelEmbedding} ({@code label_embedding.weight}, which the
 * reference has not) to the embedding after the two dense layers, before every block's activation.
 *
 * <p>The generator's state at creation is kept, so every define draws the same initial weights.
 */
final class Ncsnpp implements NetworkModel {
    private final NcsnppConfig cfg;
    private final int classes;
    private final long[] rngState;
    /** The names of the convolution weights, filled by the first define (every define makes the same). */
    private final Set<String> convWeights = ConcurrentHashMap.newKeySet();

    Ncsnpp(NcsnppConfig cfg, int classes, long[] rngState) {
        this.cfg = cfg;
        this.classes = classes;
        this.rngState = rngState.clone();
    }

    NcsnppConfig config() { return cfg; }

    @Override
    public int classes() { return classes; }

    /** The eval graph: dropout off. */
    @Override
    public SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel) {
        return define(sd, x, noiseLabel, null, false);
    }

    /** The training graph: dropout on (x needs a fixed batch size). */
    @Override
    public SDVariable defineForTraining(SameDiff sd, SDVariable x, SDVariable noiseLabel) {
        return define(sd, x, noiseLabel, null, true);
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel, SDVariable classLabel) {
        return define(sd, x, noiseLabel, classLabel, false);
    }

    @Override
    public SDVariable defineForTraining(SameDiff sd, SDVariable x, SDVariable noiseLabel, SDVariable classLabel) {
        return define(sd, x, noiseLabel, classLabel, true);
    }

    @Override
    public int[] storedAxes(String name) {
        return convWeights.contains(name) ? Layers.CONV_STORED_AXES.clone() : null;
    }

    @Override
    public boolean trainsDifferently() {
        return cfg.dropout() > 0;
    }

    /**
     * The network on x [B, C, H, W], noise labels [B] and class labels [B] (null for an
     * unconditional network). With {@code training} the residual
     * blocks apply dropout with masks from ND4J's global generator (see {@link Layers#dropout}),
     * which needs x declared with a fixed batch size; the weights, their names and their initial
     * values do not depend on it, so a training graph and an eval graph of the same model can share
     * weights by name.
     */
    public SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel, SDVariable classLabel, boolean training) {
        DataType type = x.dataType();
        long[] shape = x.getShape();
        long batch = shape != null && shape.length > 0 ? shape[0] : -1;
        Net n = new Net(new Layers(sd, Rng.fromState(rngState), type, batch, training, convWeights), type);
        return n.forward(x, noiseLabel, classLabel);
    }

    /** One graph build: the layers and the time embedding shared by the residual blocks. */
    private final class Net {
        private final Layers l;
        private final SameDiff sd;
        private final DataType type;
        private final long tembDim = 4L * cfg.nf();
        /** act(temb), the input of every residual block's Dense_0 (null when not conditional). */
        private SDVariable actTemb;

        Net(Layers l, DataType type) {
            this.l = l;
            this.sd = l.sd();
            this.type = type;
        }

        /** A feature map and its channel count and size. */
        private record F(SDVariable v, long c, long h, long w) {}

        SDVariable forward(SDVariable x, SDVariable label, SDVariable classLabel) {
            NcsnppConfig c = cfg;
            int nf = c.nf();
            // ---- noise-level embedding
            SDVariable temb;
            long embedDim;
            if (c.fourier()) {
                // GaussianFourierProjection.W = randn(nf) * scale is a parameter with requires_grad=False: a constant here
                SDVariable w = sd.constant(l.nextModule() + "W", l.normal(c.fourierScale(), 1, nf));
                SDVariable proj = sd.math.log(label).reshape(-1, 1).mmul(w).mul(2 * Math.PI);
                temb = sd.concat(1, sd.math.sin(proj), sd.math.cos(proj));
                embedDim = 2L * nf;
            } else {
                temb = timestepEmbedding(label, nf);
                embedDim = nf;
            }
            if (c.conditional()) {
                temb = l.linear(l.nextModule(), temb, embedDim, tembDim);
                temb = l.linear(l.nextModule(), l.act(temb), tembDim, tembDim);
                if (classLabel != null) {
                    // outside all_modules, so the reference's module numbering (and its checkpoints) still fit
                    temb = temb.add(LabelEmbedding.lookup(sd, "label_embedding.weight", classLabel, classes, tembDim, type, rngState));
                }
                actTemb = l.act(temb);
            }

            if (!c.centered()) x = x.mul(2.0).sub(1.0);

            // ---- down
            int levels = c.levels();
            long height = c.height();
            long width = c.width();
            F inputPyramid = c.progressiveInput().equals("none") ? null : new F(x, c.channels(), height, width);
            Deque<F> hs = new ArrayDeque<>();
            hs.push(new F(l.conv3x3(l.nextModule(), x, c.channels(), nf, 1.0), nf, height, width));
            for (int level = 0; level < levels; level++) {
                for (int b = 0; b < c.numResBlocks(); b++) {
                    F h = resBlock(hs.peek(), (long) nf * c.chMult()[level], false, false);
                    if (c.attentionAt(level)) h = attention(h);
                    hs.push(h);
                }
                if (level != levels - 1) {
                    F h;
                    if (c.biggan()) {
                        h = resBlock(hs.peek(), hs.peek().c, false, true);
                    } else {
                        F p = hs.peek();
                        h = new F(l.downsample(l.nextModule(), p.v, p.c, p.c, p.h, p.w, c.resampWithConv(), c.fir(), c.firKernel()),
                                p.c, p.h / 2, p.w / 2);
                    }
                    if (c.progressiveInput().equals("input_skip")) {
                        F ip = inputPyramid;
                        inputPyramid = new F(l.downsample(null, ip.v, ip.c, ip.c, ip.h, ip.w, false, c.fir(), c.firKernel()),
                                ip.c, ip.h / 2, ip.w / 2);
                        // Combine: Conv_0 = conv1x1(pyramid channels -> h channels), then cat or sum
                        SDVariable proj = l.conv1x1(l.nextModule() + "Conv_0.", inputPyramid.v, inputPyramid.c, h.c, 1.0);
                        h = c.combineCat() ? new F(sd.concat(1, proj, h.v), 2 * h.c, h.h, h.w) : new F(proj.add(h.v), h.c, h.h, h.w);
                    } else if (c.progressiveInput().equals("residual")) {
                        F ip = inputPyramid;
                        SDVariable down = l.downsample(l.nextModule(), ip.v, ip.c, h.c, ip.h, ip.w, true, c.fir(), c.firKernel());
                        SDVariable sum = down.add(h.v);
                        if (c.skipRescale()) sum = sum.mul(Layers.INV_SQRT2);
                        inputPyramid = new F(sum, h.c, h.h, h.w);
                        h = inputPyramid;
                    }
                    hs.push(h);
                }
            }

            // ---- middle
            F h = hs.peek();
            h = resBlock(h, h.c, false, false);
            h = attention(h);
            h = resBlock(h, h.c, false, false);

            // ---- up
            F pyramid = null;
            for (int level = levels - 1; level >= 0; level--) {
                for (int b = 0; b < c.numResBlocks() + 1; b++) {
                    F skip = hs.pop();
                    F cat = new F(sd.concat(1, h.v, skip.v), h.c + skip.c, h.h, h.w);
                    h = resBlock(cat, (long) nf * c.chMult()[level], false, false);
                }
                if (c.attentionAt(level)) h = attention(h);

                if (!c.progressive().equals("none")) {
                    if (level == levels - 1) {
                        SDVariable a = l.act(l.groupNorm(l.nextModule(), h.v, h.c, h.h, h.w));
                        if (c.progressive().equals("output_skip")) {
                            pyramid = new F(l.conv3x3(l.nextModule(), a, h.c, c.channels(), c.initScale()), c.channels(), h.h, h.w);
                        } else {
                            pyramid = new F(l.conv3x3(l.nextModule(), a, h.c, h.c, 1.0), h.c, h.h, h.w);
                        }
                    } else if (c.progressive().equals("output_skip")) {
                        F p = pyramid;
                        SDVariable up = l.upsample(null, p.v, p.c, p.c, p.h, p.w, false, c.fir(), c.firKernel());
                        SDVariable a = l.act(l.groupNorm(l.nextModule(), h.v, h.c, h.h, h.w));
                        SDVariable ph = l.conv3x3(l.nextModule(), a, h.c, c.channels(), c.initScale());
                        pyramid = new F(up.add(ph), c.channels(), h.h, h.w);
                    } else {
                        F p = pyramid;
                        SDVariable up = l.upsample(l.nextModule(), p.v, p.c, h.c, p.h, p.w, true, c.fir(), c.firKernel());
                        SDVariable sum = up.add(h.v);
                        if (c.skipRescale()) sum = sum.mul(Layers.INV_SQRT2);
                        pyramid = new F(sum, h.c, h.h, h.w);
                        h = pyramid;
                    }
                }

                if (level != 0) {
                    if (c.biggan()) {
                        h = resBlock(h, h.c, true, false);
                    } else {
                        h = new F(l.upsample(l.nextModule(), h.v, h.c, h.c, h.h, h.w, c.resampWithConv(), c.fir(), c.firKernel()),
                                h.c, h.h * 2, h.w * 2);
                    }
                }
            }
            if (!hs.isEmpty()) throw new IllegalStateException("unused skip connections: " + hs.size());

            if (c.progressive().equals("output_skip")) return pyramid.v;
            SDVariable a = l.act(l.groupNorm(l.nextModule(), h.v, h.c, h.h, h.w));
            return l.conv3x3(l.nextModule(), a, h.c, c.channels(), c.initScale());
        }

        /** layers.get_timestep_embedding(label, dim): sin and cos of label · 10000^(-k/(dim/2 - 1)), zero-padded when odd. */
        private SDVariable timestepEmbedding(SDVariable label, int dim) {
            int half = dim / 2;
            double[] f = new double[half];
            double step = Math.log(10000) / Math.max(half - 1, 1);
            for (int k = 0; k < half; k++) f[k] = Math.exp(-step * k);
            SDVariable freqs = sd.constant("ncsnpp/positional_frequencies", Nd4j.create(f, new long[] {1, half}, type));
            SDVariable arg = label.reshape(-1, 1).mmul(freqs);
            SDVariable emb = sd.concat(1, sd.math.sin(arg), sd.math.cos(arg));
            if (dim % 2 == 1) {
                SDVariable zero = sd.zerosLike(label).reshape(-1, 1);
                emb = sd.concat(1, emb, zero);
            }
            return emb;
        }

        /** ResnetBlockBigGANpp or ResnetBlockDDPMpp (which never resamples) from x to {@code out} channels. */
        private F resBlock(F x, long out, boolean up, boolean down) {
            String p = l.nextModule();
            NcsnppConfig c = cfg;
            long in = x.c;
            SDVariable h = l.act(l.groupNorm(p + "GroupNorm_0.", x.v, in, x.h, x.w));
            SDVariable skip = x.v;
            long height = x.h;
            long width = x.w;
            if (up) {
                if (c.fir()) {
                    Fir.Plan plan = Fir.upsample(c.firKernel());
                    h = l.upfirdn(h, in, height, width, plan);
                    skip = l.upfirdn(skip, in, height, width, plan);
                } else {
                    h = l.nearestUp(h);
                    skip = l.nearestUp(skip);
                }
                height *= 2;
                width *= 2;
            } else if (down) {
                if (c.fir()) {
                    Fir.Plan plan = Fir.downsample(c.firKernel());
                    h = l.upfirdn(h, in, height, width, plan);
                    skip = l.upfirdn(skip, in, height, width, plan);
                } else {
                    h = l.averageDown(h);
                    skip = l.averageDown(skip);
                }
                height /= 2;
                width /= 2;
            }
            h = l.conv3x3(p + "Conv_0.", h, in, out, 1.0);
            // Dense_0 exists whenever the block is built with temb_dim (always in NCSNpp); unused weights
            // would have no gradient, so an unconditional network omits it
            if (actTemb != null) h = h.add(l.linear(p + "Dense_0.", actTemb, tembDim, out).reshape(-1, out, 1, 1));
            h = l.act(l.groupNorm(p + "GroupNorm_1.", h, out, height, width));
            h = l.dropout(h, c.dropout(), out, height, width);
            h = l.conv3x3(p + "Conv_1.", h, out, out, c.initScale());
            if (c.biggan()) {
                if (in != out || up || down) skip = l.conv1x1(p + "Conv_2.", skip, in, out, 1.0);
            } else if (in != out) {
                // ResnetBlockDDPMpp with conv_shortcut=False: a NIN with its default init scale 0.1
                skip = l.nin(p + "NIN_0.", skip, in, out, 0.1);
            }
            SDVariable sum = skip.add(h);
            if (c.skipRescale()) sum = sum.mul(Layers.INV_SQRT2);
            return new F(sum, out, height, width);
        }

        /** AttnBlockpp: GroupNorm, q/k/v by NIN (init 0.1), softmax over the H·W keys, NIN_3 (initScale), residual. */
        private F attention(F x) {
            String p = l.nextModule();
            long c = x.c;
            long hw = x.h * x.w;
            SDVariable h = l.groupNorm(p + "GroupNorm_0.", x.v, c, x.h, x.w);
            SDVariable q = l.nin(p + "NIN_0.", h, c, c, 0.1).reshape(-1, c, hw);
            SDVariable k = l.nin(p + "NIN_1.", h, c, c, 0.1).reshape(-1, c, hw);
            SDVariable v = l.nin(p + "NIN_2.", h, c, c, 0.1).reshape(-1, c, hw);
            // w[b, i, j] = sum_c q[b, c, i] k[b, c, j] / sqrt(C), softmax over j
            SDVariable w = sd.mmul(q, k, true, false, false).mul(1.0 / Math.sqrt(c));
            w = sd.nn.softmax(w, 2);
            // out[b, c, i] = sum_j v[b, c, j] w[b, i, j]
            SDVariable a = sd.mmul(v, w, false, true, false).reshape(-1, c, x.h, x.w);
            a = l.nin(p + "NIN_3.", a, c, c, cfg.initScale());
            SDVariable sum = x.v.add(a);
            if (cfg.skipRescale()) sum = sum.mul(Layers.INV_SQRT2);
            return new F(sum, c, x.h, x.w);
        }
    }
}
