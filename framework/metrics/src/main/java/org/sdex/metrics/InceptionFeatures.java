package org.sdex.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.interop.HostTensor;
import org.sdex.core.interop.TorchFile;
import org.sdex.core.interop.WeightFileException;

/**
 * The 2,048 pool3 features of the Inception-v3 that FID is defined with (Szegedy et al. 2016, in the
 * variant of TensorFlow's 2015-12-05 graph that FID papers use): images resized bilinearly to
 * 299 x 299, scaled to [-1, 1], through the stem, Mixed_5b..7c with the FID-specific blocks (average
 * pools that leave padding out of the divisor; max pool in the last block's pool branch), then a
 * global average. Weights come from the user's {@code pt_inception-2015-12-05-6726825d.pth}
 * (published with pytorch-fid), read through sdex's restricted unpickler; batch norms are folded into
 * their convolutions when loaded.
 */
public final class InceptionFeatures implements AutoCloseable {
    public static final String WEIGHTS_FILE = org.sdex.core.evaluate.ImageMetrics.INCEPTION_WEIGHTS;
    public static final int SIZE = 299;
    public static final int FEATURES = 2048;
    private static final double BN_EPS = 1e-3;

    private final SameDiff sd = SameDiff.create();
    private final Map<String, HostTensor> weights;
    private final String file;
    private final SDVariable input;
    private final SDVariable output;

    private InceptionFeatures(Map<String, HostTensor> weights, String file) {
        this.weights = weights;
        this.file = file;
        input = sd.placeHolder("images", DataType.FLOAT, -1, 3, SIZE, SIZE);
        output = define(input.mul(2.0).sub(1.0));
    }

    /** The network with the weights of {@code file} (the FID Inception weights in PyTorch's format). */
    @SuppressWarnings("unchecked")
    public static InceptionFeatures load(Path file) {
        String name = file.getFileName().toString();
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new WeightFileException(name + ": no such file; FID needs the Inception weights " + WEIGHTS_FILE
                    + " (published with pytorch-fid's releases), which sdex does not ship");
        }
        Object root = TorchFile.read(file);
        if (!(root instanceof Map<?, ?> m)) throw new WeightFileException(name + ": not a state dict");
        return new InceptionFeatures((Map<String, HostTensor>) m, name);
    }

    /** Features [N, 2048] of images [N, C, H, W] with values in [0, 1] (C = 1 is repeated to RGB), in batches. */
    public INDArray features(INDArray images, int batch) {
        long n = images.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, n, FEATURES);
        for (long from = 0; from < n; from += batch) {
            long to = Math.min(n, from + batch);
            INDArray x = resize(rgb(images.get(NDArrayIndex.interval(from, to)).castTo(DataType.FLOAT)));
            INDArray f = sd.output(Map.of("images", x), output.name()).get(output.name());
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(f.reshape(to - from, FEATURES));
        }
        return out;
    }

    private static INDArray rgb(INDArray x) {
        if (x.size(1) == 3) return x;
        if (x.size(1) == 1) return Nd4j.concat(1, x, x, x);
        throw new IllegalArgumentException("images need 1 or 3 channels, got " + x.size(1));
    }

    /** Bilinear resize to 299 x 299 as PyTorch's interpolate(align_corners=False): two matrix products. */
    static INDArray resize(INDArray x) {
        long b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        INDArray rows = interpolation(h);                       // [299, h]
        INDArray cols = interpolation(w);                       // [299, w]
        INDArray alongW = x.reshape('c', b * c * h, w).mmul(cols.transpose()).reshape('c', b, c, h, SIZE);
        INDArray hLast = alongW.permute(0, 1, 3, 2).dup('c').reshape('c', b * c * SIZE, h);
        return hLast.mmul(rows.transpose()).reshape('c', b, c, SIZE, SIZE).permute(0, 1, 3, 2).dup('c');
    }

    /** Rows: for each output pixel, the weights of the input pixels (half-pixel centres, clamped at the edges). */
    static INDArray interpolation(long in) {
        double[][] m = new double[SIZE][(int) in];
        double scale = (double) in / SIZE;
        for (int o = 0; o < SIZE; o++) {
            double src = Math.max((o + 0.5) * scale - 0.5, 0);
            int i0 = (int) Math.floor(src);
            int i1 = (int) Math.min(i0 + 1, in - 1);
            double frac = src - i0;
            m[o][i0] += 1 - frac;
            m[o][i1] += frac;
        }
        return Nd4j.createFromArray(m).castTo(DataType.FLOAT);
    }

    private SDVariable define(SDVariable x) {
        x = conv("Conv2d_1a_3x3", x, 3, 3, 2, 0, 0);
        x = conv("Conv2d_2a_3x3", x, 3, 3, 1, 0, 0);
        x = conv("Conv2d_2b_3x3", x, 3, 3, 1, 1, 1);
        x = maxPool(x, 2, 0);
        x = conv("Conv2d_3b_1x1", x, 1, 1, 1, 0, 0);
        x = conv("Conv2d_4a_3x3", x, 3, 3, 1, 0, 0);
        x = maxPool(x, 2, 0);
        x = blockA("Mixed_5b", x);
        x = blockA("Mixed_5c", x);
        x = blockA("Mixed_5d", x);
        x = blockB("Mixed_6a", x);
        for (String m : List.of("Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e")) x = blockC(m, x);
        x = blockD("Mixed_7a", x);
        x = blockE("Mixed_7b", x, false);
        x = blockE("Mixed_7c", x, true);
        return x.mean(2, 3);
    }

    private SDVariable blockA(String p, SDVariable x) {
        SDVariable b1 = conv1(p + ".branch1x1", x);
        SDVariable b5 = conv(p + ".branch5x5_2", conv1(p + ".branch5x5_1", x), 5, 5, 1, 2, 2);
        SDVariable b3 = conv3(p + ".branch3x3dbl_3", conv3(p + ".branch3x3dbl_2", conv1(p + ".branch3x3dbl_1", x)));
        SDVariable pool = conv1(p + ".branch_pool", avgPool(x));
        return sd.concat(1, b1, b5, b3, pool);
    }

    private SDVariable blockB(String p, SDVariable x) {
        SDVariable b3 = conv(p + ".branch3x3", x, 3, 3, 2, 0, 0);
        SDVariable d = conv(p + ".branch3x3dbl_3", conv3(p + ".branch3x3dbl_2", conv1(p + ".branch3x3dbl_1", x)), 3, 3, 2, 0, 0);
        return sd.concat(1, b3, d, maxPool(x, 2, 0));
    }

    private SDVariable blockC(String p, SDVariable x) {
        SDVariable b1 = conv1(p + ".branch1x1", x);
        SDVariable b7 = row7(p + ".branch7x7_3", false, row7(p + ".branch7x7_2", true, conv1(p + ".branch7x7_1", x)));
        SDVariable d = conv1(p + ".branch7x7dbl_1", x);
        d = row7(p + ".branch7x7dbl_2", false, d);
        d = row7(p + ".branch7x7dbl_3", true, d);
        d = row7(p + ".branch7x7dbl_4", false, d);
        d = row7(p + ".branch7x7dbl_5", true, d);
        SDVariable pool = conv1(p + ".branch_pool", avgPool(x));
        return sd.concat(1, b1, b7, d, pool);
    }

    private SDVariable blockD(String p, SDVariable x) {
        SDVariable b3 = conv(p + ".branch3x3_2", conv1(p + ".branch3x3_1", x), 3, 3, 2, 0, 0);
        SDVariable b7 = conv1(p + ".branch7x7x3_1", x);
        b7 = row7(p + ".branch7x7x3_2", true, b7);
        b7 = row7(p + ".branch7x7x3_3", false, b7);
        b7 = conv(p + ".branch7x7x3_4", b7, 3, 3, 2, 0, 0);
        return sd.concat(1, b3, b7, maxPool(x, 2, 0));
    }

    /** The last two blocks; the very last pools its pool branch by max (the FID graph's quirk), the other by average. */
    private SDVariable blockE(String p, SDVariable x, boolean maxPoolBranch) {
        SDVariable b1 = conv1(p + ".branch1x1", x);
        SDVariable b3 = conv1(p + ".branch3x3_1", x);
        b3 = sd.concat(1, conv(p + ".branch3x3_2a", b3, 1, 3, 1, 0, 1), conv(p + ".branch3x3_2b", b3, 3, 1, 1, 1, 0));
        SDVariable d = conv3(p + ".branch3x3dbl_2", conv1(p + ".branch3x3dbl_1", x));
        d = sd.concat(1, conv(p + ".branch3x3dbl_3a", d, 1, 3, 1, 0, 1), conv(p + ".branch3x3dbl_3b", d, 3, 1, 1, 1, 0));
        SDVariable pool = conv1(p + ".branch_pool", maxPoolBranch ? maxPool(x, 1, 1) : avgPool(x));
        return sd.concat(1, b1, b3, d, pool);
    }

    private SDVariable conv1(String p, SDVariable x) { return conv(p, x, 1, 1, 1, 0, 0); }

    private SDVariable conv3(String p, SDVariable x) { return conv(p, x, 3, 3, 1, 1, 1); }

    /** A 1x7 (row) or 7x1 convolution with "same" padding. */
    private SDVariable row7(String p, boolean oneBySeven, SDVariable x) {
        return oneBySeven ? conv(p, x, 1, 7, 1, 0, 3) : conv(p, x, 7, 1, 1, 3, 0);
    }

    /** BasicConv2d: convolution without bias, batch norm (eps 0.001, folded into the convolution), ReLU. */
    private SDVariable conv(String p, SDVariable x, int kh, int kw, int stride, int ph, int pw) {
        HostTensor w = tensor(p + ".conv.weight");
        long[] s = w.shape();
        if (s.length != 4 || s[2] != kh || s[3] != kw) {
            throw new WeightFileException(file + ": '" + p + ".conv.weight' has shape " + Arrays.toString(s)
                    + ", the FID Inception has a " + kh + "x" + kw + " kernel there");
        }
        float[] gamma = tensor(p + ".bn.weight").toFloats();
        float[] beta = tensor(p + ".bn.bias").toFloats();
        float[] mean = tensor(p + ".bn.running_mean").toFloats();
        float[] var = tensor(p + ".bn.running_var").toFloats();
        int out = (int) s[0];
        if (gamma.length != out || beta.length != out || mean.length != out || var.length != out) {
            throw new WeightFileException(file + ": the batch norm of '" + p + "' does not have " + out + " channels");
        }
        INDArray kernel = Nd4j.createFromArray(w.toFloats()).reshape('c', s).castTo(DataType.DOUBLE);
        double[] bias = new double[out];
        double[] scale = new double[out];
        for (int o = 0; o < out; o++) {
            scale[o] = gamma[o] / Math.sqrt((double) var[o] + BN_EPS);
            bias[o] = beta[o] - mean[o] * scale[o];
        }
        INDArray folded = kernel.reshape('c', out, -1).mulColumnVector(Nd4j.createFromArray(scale).reshape(out, 1)).reshape('c', s);
        SDVariable weight = sd.constant(p + ".w", folded.permute(2, 3, 1, 0).castTo(DataType.FLOAT).dup('c')); // [kh, kw, in, out]
        SDVariable b = sd.constant(p + ".b", Nd4j.createFromArray(bias).castTo(DataType.FLOAT));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(kh).kW(kw).sH(stride).sW(stride).pH(ph).pW(pw)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        return sd.nn.relu(sd.cnn.conv2d(x, weight, b, cfg), 0);
    }

    private SDVariable maxPool(SDVariable x, int stride, int pad) {
        return sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).pH(pad).pW(pad)
                .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }

    /** 3x3 average, stride 1, padding 1, the padding not counted in the divisor. */
    private SDVariable avgPool(SDVariable x) {
        return sd.cnn.avgPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).extra(0)
                .type(Pooling2D.Pooling2DType.AVG).paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }

    private HostTensor tensor(String name) {
        HostTensor t = weights.get(name);
        if (t == null) {
            throw new WeightFileException(file + ": has no tensor '" + name + "'; FID needs the Inception weights " + WEIGHTS_FILE
                    + " (published with pytorch-fid's releases)");
        }
        return t;
    }

    @Override
    public void close() {
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.CONSTANT) continue;
            INDArray a = v.getArr();
            if (a != null && !a.wasClosed() && a.closeable()) a.close();
        }
    }
}
