package org.sdex.plugins.models.ncsnpp;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.random.Rng;

/**
 * The layers of the reference's layers.py / layerspp.py / up_or_down_sampling.py as SameDiff ops
 * on NCHW tensors of a dynamic batch size. Weights are SameDiff variables named by the reference's
 * PyTorch state-dict keys ({@code all_modules.7.Conv_0.weight}) and shaped as there (linear weights
 * [out, in], NIN weights [in, out]), except convolution weights, which are stored [kh, kw, in, out]
 * ({@link #CONV_STORED_AXES} of the reference's [out, in, kh, kw]; see
 * {@link org.sdex.spi.model.NetworkModel#storedAxes}). They are drawn from the generator in the
 * order the reference creates them, with its {@code default_init}: variance scaling, fan_avg,
 * uniform; biases zero; GroupNorm scale one and shift zero.
 *
 * <p>Speed notes (ND4J 1.0.0-M2.1): convolutions run through oneDNN with YXIO weights (OIYX has no
 * working backward op). Stored in that layout, the weights are read as they are: permuted in the
 * graph, every pass held a permuted copy of all of them (225 MB for the CIFAR config, which SameDiff
 * computes first) and a training step a permuted copy of their gradients too. GroupNorm is computed as one
 * {@code moments} op for the statistics and a per-(example, channel) scale and shift applied as
 * broadcast ops (see {@link #groupNorm}).
 */
final class Layers {
    /** Convolution weights are stored as the reference's [out, in, kh, kw] permuted by these axes: [kh, kw, in, out]. */
    static final int[] CONV_STORED_AXES = {2, 3, 1, 0};
    static final double GROUP_NORM_EPS = 1e-6;
    static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private final SameDiff sd;
    private final Rng rng;
    private final DataType type;
    private final long batch;
    private final boolean training;
    private final Map<String, SDVariable> constants = new HashMap<>();
    /** Where the names of the convolution weights created go (see {@link #CONV_STORED_AXES}). */
    private final Set<String> convWeights;
    private int module;
    private int dropoutSites;

    /**
     * @param batch    the static batch size of the input, or -1 when it is dynamic (then no dropout)
     * @param training add dropout; otherwise every dropout layer is the identity (eval mode)
     */
    Layers(SameDiff sd, Rng rng, DataType type, long batch, boolean training, Set<String> convWeights) {
        this.sd = sd;
        this.convWeights = convWeights;
        this.rng = rng;
        this.type = type;
        this.batch = batch;
        this.training = training;
    }

    SameDiff sd() { return sd; }

    /** Name prefix of the next entry of the reference's {@code all_modules} list. */
    String nextModule() { return "all_modules." + (module++) + "."; }

    // ---------------------------------------------------------------- parameters

    /** The reference's {@code default_init(scale)}: U(-a, a), a = sqrt(3 scale / fan_avg); scale 0 means 1e-10. */
    INDArray defaultInit(double scale, long fanIn, long fanOut, long... shape) {
        double s = scale == 0 ? 1e-10 : scale;
        double limit = Math.sqrt(3 * s / ((fanIn + fanOut) / 2.0));
        // drawn in chunks straight into the native array: a double[] of a whole network's weights
        // (494 MB for the CIFAR config) went to the Java heap's old generation, which stayed resident
        INDArray a = Nd4j.createUninitialized(type, shape);
        long n = a.length();
        double[] chunk = new double[(int) Math.min(n, 1 << 16)];
        java.nio.ByteBuffer bytes = type == DataType.FLOAT || type == DataType.DOUBLE
                ? a.data().asNio().order(java.nio.ByteOrder.nativeOrder()) : null;
        for (long from = 0; from < n; from += chunk.length) {
            int len = (int) Math.min(chunk.length, n - from);
            for (int i = 0; i < len; i++) chunk[i] = limit * (2 * rng.nextDouble() - 1);
            if (type == DataType.DOUBLE) {
                bytes.asDoubleBuffer().put((int) from, chunk, 0, len);
            } else if (type == DataType.FLOAT) {
                java.nio.FloatBuffer f = bytes.asFloatBuffer();
                for (int i = 0; i < len; i++) f.put((int) from + i, (float) chunk[i]);
            } else {
                for (int i = 0; i < len; i++) a.data().put(from + i, chunk[i]);
            }
        }
        return a;
    }

    /** N(0, scale^2) values of the given shape. */
    INDArray normal(double scale, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        double[] v = new double[Math.toIntExact(n)];
        rng.fillGaussian(v, 0, v.length);
        for (int i = 0; i < v.length; i++) v[i] *= scale;
        return Nd4j.create(v, shape, type);
    }

    /**
     * A trainable variable holding {@code init}'s values. SameDiff's array holder stores a copy (or,
     * in the kernel's second graphs, the first graph's array), so {@code init} is closed at once:
     * left to the collector, a graph's initial values stayed resident beside the weights (247 MB for
     * the CIFAR config, per graph built).
     */
    SDVariable weight(String name, INDArray init) {
        SDVariable v = sd.var(name, init);
        if (v.getArr() != init && init.closeable()) init.close();
        return v;
    }

    SDVariable zeros(String name, long n) { return weight(name, Nd4j.zeros(type, n)); }

    SDVariable ones(String name, long n) { return weight(name, Nd4j.ones(type, n)); }

    /** A constant, created once per graph under {@code name}. */
    SDVariable constant(String name, java.util.function.Supplier<INDArray> value) {
        return constants.computeIfAbsent(name, k -> sd.constant(k, value.get()));
    }

    // ---------------------------------------------------------------- basic layers

    static SDVariable act(SameDiff sd, SDVariable x) { return sd.nn.swish(x); }

    SDVariable act(SDVariable x) { return act(sd, x); }

    /** A conv layer's parameters as the reference's ddpm_conv3x3/ddpm_conv1x1 create them. */
    record Conv(SDVariable weight, SDVariable bias, int size) {}

    Conv conv(String prefix, long in, long out, int size, double initScale) {
        // drawn in the reference's [out, in, kh, kw] order (the same values), stored [kh, kw, in, out]
        INDArray init = defaultInit(initScale, in * size * size, out * size * size, out, in, size, size);
        INDArray stored = init.permute(CONV_STORED_AXES).dup('c');
        init.close();
        SDVariable w = weight(prefix + "weight", stored);
        convWeights.add(w.name());
        return new Conv(w, zeros(prefix + "bias", out), size);
    }

    /** conv with symmetric zero padding {@code pad} and stride {@code stride}. */
    SDVariable apply(Conv c, SDVariable x, int stride, int pad) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(c.size).kW(c.size).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        return sd.cnn.conv2d(x, c.weight, c.bias, cfg);
    }

    /** ddpm_conv3x3 (padding 1) applied to x. */
    SDVariable conv3x3(String prefix, SDVariable x, long in, long out, double initScale) {
        return apply(conv(prefix, in, out, 3, initScale), x, 1, 1);
    }

    /** ddpm_conv1x1 applied to x. */
    SDVariable conv1x1(String prefix, SDVariable x, long in, long out, double initScale) {
        return apply(conv(prefix, in, out, 1, initScale), x, 1, 0);
    }

    /** nn.Linear with default_init weights [out, in] and zero bias, on [B, in]. */
    SDVariable linear(String prefix, SDVariable x, long in, long out) {
        SDVariable w = weight(prefix + "weight", defaultInit(1.0, in, out, out, in));
        SDVariable b = zeros(prefix + "bias", out);
        return sd.mmul(x, w, false, true, false).add(b);
    }

    /** The reference's NIN (a 1x1 layer with weights W [in, out], b [out]), as a 1x1 conv. */
    SDVariable nin(String prefix, SDVariable x, long in, long out, double initScale) {
        SDVariable w = weight(prefix + "W", defaultInit(initScale, out, in, in, out));
        SDVariable b = zeros(prefix + "b", out);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(1).pH(0).pW(0)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        return sd.cnn.conv2d(x, w.reshape(1, 1, in, out), b, cfg);
    }

    /**
     * nn.GroupNorm(min(C/4, 32), C, eps=1e-6) with parameters {@code prefix}weight/bias on x [B, C, H, W].
     *
     * <p>Statistics come from one native {@code moments} op per channel, combined per group; scale and shift
     * are folded per (example, channel) into {@code s = gamma · rstd} and {@code t = beta - mean · s}
     * (small tensors), and {@code y = s x + t} is two broadcast ops on x. M2.1's backward op of that
     * broadcast multiply is pathological (37–54 ms on [32, 64, 28, 28]); replayed passes run it as a
     * broadcast multiply, a product and a sum instead (1.5 ms, see {@code FastKernels}). The earlier
     * form — the scale as a batched matmul with diagonal [C/G, C/G] matrices — cost 3.0 ms forward and
     * 5.5 ms backward there against 0.3 and 2.6 ms now.
     */
    SDVariable groupNorm(String prefix, SDVariable x, long c, long h, long w) {
        int g = NcsnppConfig.groups(c);
        if (g < 1 || c % g != 0) throw new IllegalArgumentException("GroupNorm cannot split " + c + " channels into " + g + " groups");
        long per = c / g;
        SDVariable gamma = ones(prefix + "weight", c);
        SDVariable beta = zeros(prefix + "bias", c);
        // per-channel moments of x itself (a reshape to groups would be a full copy, kept for the
        // backward op), then the groups' by the law of total variance: exact, and stable
        SDVariable[] mv = sd.math.moments(x, new int[] {2, 3}, false);
        SDVariable channelMean = mv[0].reshape(-1, g, per);
        SDVariable mean = channelMean.mean(true, 2);
        SDVariable spread = sd.math.square(channelMean.sub(mean)).mean(true, 2);
        SDVariable variance = mv[1].reshape(-1, g, per).mean(true, 2).add(spread);
        SDVariable rstd = sd.math.rsqrt(variance.add(GROUP_NORM_EPS));
        SDVariable s = gamma.reshape(1, g, per).mul(rstd);
        SDVariable t = beta.reshape(1, g, per).sub(mean.mul(s));
        return x.mul(s.reshape(-1, c, 1, 1)).add(t.reshape(-1, c, 1, 1));
    }

    /**
     * nn.Dropout(p) in training graphs: h times an inverted-dropout mask {@code Bernoulli(1 - p) / (1 - p)}
     * drawn by SameDiff's random op from ND4J's global generator on every execution (seeding
     * {@code Nd4j.getRandom()} before a step makes the masks reproducible). The random op needs a
     * static shape, so training graphs need x with a fixed batch size. The identity in eval graphs.
     *
     * <p>(ND4J 1.0.0-M2.1 offers nothing better: its random custom ops with a dynamic shape return
     * the same values on every execution whatever the seed, and its dropout ops have no gradient
     * and fail on dynamic shapes.)
     */
    SDVariable dropout(SDVariable h, double p, long c, long height, long width) {
        if (!training || p == 0) return h;
        if (batch <= 0) {
            throw new IllegalArgumentException("dropout needs a training graph with a fixed batch size: declare x with "
                    + "a static first dimension, or define the eval graph (training = false)");
        }
        int site = dropoutSites++;
        SDVariable keep = sd.random.bernoulli(1.0 - p, type, batch, c, height, width)
                .mul(1.0 / (1.0 - p)).rename("ncsnpp/dropout_mask_" + site);
        return h.mul(keep);
    }

    // ---------------------------------------------------------------- resampling

    /** Zero padding of the two spatial axes: {@code p0} before and {@code p1} after. */
    SDVariable pad(SDVariable x, int p0, int p1) {
        if (p0 < 0 || p1 < 0) throw new IllegalArgumentException("negative padding " + p0 + ", " + p1);
        String name = "ncsnpp/pad_" + p0 + "_" + p1;
        SDVariable p = constant(name, () -> Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {p0, p1}, {p0, p1}}));
        return sd.nn.pad(x, p, PadMode.CONSTANT, 0.0);
    }

    /**
     * upfirdn2d on x [B, C, h, w] (see {@link Fir}): zero insertion by padding a [B, C, h, 1, w, 1]
     * view, zero padding, then a depthwise convolution with the flipped kernel and stride {@code down}.
     */
    SDVariable upfirdn(SDVariable x, long c, long h, long w, Fir.Plan plan) {
        if (plan.up() > 1) {
            int u = plan.up();
            String name = "ncsnpp/zero_insert_" + u;
            SDVariable p = constant(name, () -> Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, u - 1}, {0, 0}, {0, u - 1}}));
            x = sd.nn.pad(x.reshape(-1, c, h, 1, w, 1), p, PadMode.CONSTANT, 0.0).reshape(-1, c, h * u, w * u);
        }
        int convPad = 0;
        if (plan.pad0() == plan.pad1()) {
            convPad = plan.pad0();
        } else {
            x = pad(x, plan.pad0(), plan.pad1());
        }
        double[][] k = plan.kernel();
        int n = k.length;
        String name = "ncsnpp/fir_" + c + "_" + java.util.Arrays.deepToString(k).hashCode();
        SDVariable weights = constant(name, () -> {
            double[] v = new double[Math.toIntExact((long) n * n * c)];
            int i = 0;
            for (int y = 0; y < n; y++) {
                for (int xx = 0; xx < n; xx++) {
                    // a true convolution, as upfirdn2d_native: the kernel is flipped
                    double kv = k[n - 1 - y][n - 1 - xx];
                    for (long ch = 0; ch < c; ch++) v[i++] = kv;
                }
            }
            return Nd4j.create(v, new long[] {n, n, c, 1}, type);
        });
        Conv2DConfig cfg = Conv2DConfig.builder().kH(n).kW(n).sH(plan.down()).sW(plan.down()).pH(convPad).pW(convPad)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        return sd.cnn.depthWiseConv2d(x, weights, cfg);
    }

    /** naive_upsample_2d / F.interpolate(nearest), factor 2. */
    SDVariable nearestUp(SDVariable x) { return sd.cnn.upsampling2d(x, 2, 2, true); }

    /** naive_downsample_2d / F.avg_pool2d(2), factor 2. */
    SDVariable averageDown(SDVariable x) {
        return sd.cnn.avgPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0)
                .type(Pooling2D.Pooling2DType.AVG).paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }

    /**
     * up_or_down_sampling.Conv2d(up=True): {@code upsample_conv_2d} — a stride-2 transposed
     * convolution with the spatially flipped, in/out-swapped weight (together: zero insertion
     * followed by a full 3x3 correlation with the weight), then the FIR filter. The reference's
     * PyTorch port cannot run this path (negative-step slicing of a tensor, and a TF-style stride
     * list [1, 1, 2, 2] used for conv_transpose2d and its output_padding); this is its StyleGAN2/JAX
     * meaning, which the port evidently intends (checked against the port with those lines fixed).
     */
    SDVariable upsampleConv(Conv c, SDVariable x, long out, long h, long w, double[] firKernel) {
        int k = c.size();
        SDVariable wt = sd.reverse(c.weight(), 0, 1).permute(0, 1, 3, 2);   // flipped, [kh, kw, out, in]
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(k).kW(k).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .isSameMode(false).dataFormat("NCHW").build();
        SDVariable y = sd.cnn.deconv2d(x, wt, cfg);
        long hh = (h - 1) * 2 + k;
        long ww = (w - 1) * 2 + k;
        y = upfirdn(y, out, hh, ww, Fir.afterTransposedConv(firKernel, k));
        return y.add(c.bias().reshape(1, out, 1, 1));
    }

    /** up_or_down_sampling.Conv2d(down=True): {@code conv_downsample_2d} — the FIR filter, then a stride-2 valid conv. */
    SDVariable convDownsample(Conv c, SDVariable x, long in, long h, long w, double[] firKernel) {
        SDVariable y = upfirdn(x, in, h, w, Fir.beforeStridedConv(firKernel, c.size()));
        return apply(c, y, 2, 0);
    }

    /**
     * Upsample (layerspp): nearest or FIR, with or without a conv; x [B, in, h, w] to [B, out, 2h, 2w].
     * (The reference's non-FIR branch calls {@code F.interpolate(x, (2H, 2W), 'nearest')}, which
     * passes 'nearest' as scale_factor and fails in PyTorch; nearest-neighbour doubling is meant.)
     */
    SDVariable upsample(String prefix, SDVariable x, long in, long out, long h, long w, boolean withConv, boolean fir,
                        double[] firKernel) {
        if (!fir) {
            SDVariable y = nearestUp(x);
            return withConv ? conv3x3(prefix + "Conv_0.", y, in, out, 1.0) : y;
        }
        if (!withConv) return upfirdn(x, in, h, w, Fir.upsample(firKernel));
        return upsampleConv(conv(prefix + "Conv2d_0.", in, out, 3, 1.0), x, out, h, w, firKernel);
    }

    /** Downsample (layerspp): average pooling or FIR, with or without a conv; x [B, in, h, w] to [B, out, h/2, w/2]. */
    SDVariable downsample(String prefix, SDVariable x, long in, long out, long h, long w, boolean withConv, boolean fir,
                          double[] firKernel) {
        if (!fir) {
            if (!withConv) return averageDown(x);
            // 'SAME' as the reference: pad one zero row and column at the end, then a stride-2 valid conv
            return apply(conv(prefix + "Conv_0.", in, out, 3, 1.0), pad(x, 0, 1), 2, 0);
        }
        if (!withConv) return upfirdn(x, in, h, w, Fir.downsample(firKernel));
        return convDownsample(conv(prefix + "Conv2d_0.", in, out, 3, 1.0), x, in, h, w, firKernel);
    }
}
