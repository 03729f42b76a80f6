package org.sdex.plugins.models.mlp;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.models.LabelEmbedding;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.random.Rng;

/**
 * The network: the noise label is embedded (sinusoidal features of 999 t as DDPM's time-step
 * embedding, or random Fourier features of log sigma as NCSN++ does for VE), passed through a dense
 * layer (plus the class's {@link LabelEmbedding} when the network is class-conditional) with swish,
 * concatenated with the (flattened) input and fed through the hidden dense layers with swish; a linear layer maps back to the input's size. The output layer starts at
 * {@code initScale} times the usual size (zero by default, as the reference's last layer), so the
 * initial noise prediction is near zero. With {@code skip}, a gain and an offset computed from the
 * embedding add {@code g(t) x + b(t)}: the form of the optimal Gaussian denoiser, which the hidden
 * layers would otherwise have to learn as an identity map.
 */
final class Mlp implements NetworkModel {
    private final long[] dataShape;
    private final long dims;
    private final int[] hidden;
    private final boolean fourier;
    private final int embeddingDim;
    private final double fourierScale;
    private final double initScale;
    private final boolean skip;
    private final int inputFeatures;
    private final double inputScale;
    private final int classes;
    // the generator's state at creation: every define() draws the same initial weights
    private final long[] rngState;

    Mlp(long[] dataShape, int[] hidden, boolean fourier, int embeddingDim, double fourierScale, double initScale, boolean skip,
        int inputFeatures, double inputScale, int classes, long[] rngState) {
        this.dataShape = dataShape.clone();
        long n = 1;
        for (long s : dataShape) n *= s;
        this.dims = n;
        this.hidden = hidden.clone();
        this.fourier = fourier;
        this.embeddingDim = embeddingDim;
        this.fourierScale = fourierScale;
        this.initScale = initScale;
        this.skip = skip;
        this.inputFeatures = inputFeatures;
        this.inputScale = inputScale;
        this.classes = classes;
        this.rngState = rngState.clone();
    }

    boolean fourier() { return fourier; }

    @Override
    public int classes() { return classes; }

    @Override
    public SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel) {
        return define(sd, x, noiseLabel, null);
    }

    /** With {@code classLabel} non-null, the class embedding joins the noise-level embedding before its swish. */
    @Override
    public SDVariable define(SameDiff sd, SDVariable x, SDVariable noiseLabel, SDVariable classLabel) {
        Rng rng = Rng.fromState(rngState);
        DataType type = x.dataType();
        boolean flat = dataShape.length == 1;
        SDVariable in = flat ? x : x.reshape(-1, dims);

        SDVariable emb = embed(sd, noiseLabel, type, rng);
        SDVariable pre = dense(sd, "mlp/emb", emb, embeddingDim, embeddingDim, 1.0, type, rng);
        if (classLabel != null) {
            pre = pre.add(LabelEmbedding.lookup(sd, "mlp/label_embedding", classLabel, classes, embeddingDim, type, rngState));
        }
        SDVariable temb = sd.nn.swish(pre);
        SDVariable h = sd.concat(1, in, temb);
        long width = dims + embeddingDim;
        if (inputFeatures > 0) {
            // Random Fourier features of the input (Tancik et al. 2020): an MLP on raw coordinates
            // learns sharp edges slowly (spectral bias); sin/cos of random projections give it high
            // frequencies to combine.
            h = sd.concat(1, h, inputFourier(sd, in, type, rng));
            width += 2L * inputFeatures;
        }
        for (int l = 0; l < hidden.length; l++) {
            h = sd.nn.swish(dense(sd, "mlp/h" + l, h, width, hidden[l], 1.0, type, rng));
            width = hidden[l];
        }
        SDVariable out = dense(sd, "mlp/out", h, width, dims, initScale, type, rng);
        if (skip) {
            // The best Gaussian noise predictor is c(t) (x - alpha(t) mu): a per-noise-level gain on x
            // and offset. Learning it through the hidden layers means learning an identity map in
            // high dimension, slow for an MLP (784-D images); this path gives it directly, starting at 0.
            SDVariable gain = dense(sd, "mlp/skip_gain", temb, embeddingDim, 1, 0.0, type, rng);
            SDVariable offset = dense(sd, "mlp/skip_offset", temb, embeddingDim, dims, 0.0, type, rng);
            out = out.add(in.mul(gain)).add(offset);
        }
        if (flat) return out;
        long[] shape = new long[dataShape.length + 1];
        shape[0] = -1;
        System.arraycopy(dataShape, 0, shape, 1, dataShape.length);
        return out.reshape(shape);
    }

    /** [B] labels to [B, embeddingDim] features: sin and cos of the label times fixed frequencies. */
    private SDVariable embed(SameDiff sd, SDVariable label, DataType type, Rng rng) {
        int half = embeddingDim / 2;
        double[] f = new double[half];
        if (fourier) {
            for (int k = 0; k < half; k++) f[k] = 2 * Math.PI * fourierScale * rng.nextGaussian();
        } else {
            // geometric from 1 down to 1/10000, as DDPM's timestep embedding
            for (int k = 0; k < half; k++) f[k] = Math.exp(-Math.log(10000) * k / Math.max(half - 1, 1));
        }
        SDVariable freqs = sd.constant("mlp/freqs", Nd4j.create(f, new long[] {1, half}, type));
        SDVariable arg = (fourier ? sd.math.log(label) : label).reshape(-1, 1).mmul(freqs);
        return sd.concat(1, sd.math.sin(arg), sd.math.cos(arg));
    }

    /** [B, dims] to [B, 2 inputFeatures]: sin and cos of x B with B ~ N(0, (2 pi inputScale)^2), fixed. */
    private SDVariable inputFourier(SameDiff sd, SDVariable in, DataType type, Rng rng) {
        double[] b = new double[Math.toIntExact(dims * inputFeatures)];
        for (int i = 0; i < b.length; i++) b[i] = 2 * Math.PI * inputScale * rng.nextGaussian();
        SDVariable proj = in.mmul(sd.constant("mlp/input_freqs", Nd4j.create(b, new long[] {dims, inputFeatures}, type)));
        return sd.concat(1, sd.math.sin(proj), sd.math.cos(proj));
    }

    /** x W + b; W uniform with the fan-average variance (the reference's default_init) times {@code scale}, b = 0. */
    private static SDVariable dense(SameDiff sd, String name, SDVariable in, long fanIn, long fanOut, double scale,
                                    DataType type, Rng rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double[] w = new double[Math.toIntExact(fanIn * fanOut)];
        for (int i = 0; i < w.length; i++) w[i] = scale * limit * (2 * rng.nextDouble() - 1);
        SDVariable wv = sd.var(name + "/w", Nd4j.create(w, new long[] {fanIn, fanOut}, type));
        SDVariable bv = sd.var(name + "/b", Nd4j.zeros(type, fanOut));
        return in.mmul(wv).add(bv);
    }
}
