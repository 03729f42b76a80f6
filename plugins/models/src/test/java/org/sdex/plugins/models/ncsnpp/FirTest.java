package org.sdex.plugins.models.ncsnpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.random.Rng;

/**
 * FIR resampling (the reference's up_or_down_sampling.py with upfirdn2d) against a direct loop
 * implementation of {@code upfirdn2d_native}: zero insertion, zero padding, true convolution with
 * the kernel, decimation.
 */
class FirTest {
    static final double[] K = {1, 3, 3, 1};

    /** upfirdn2d_native on x [B, C, H, W] as nested loops (pads >= 0). */
    static double[][][][] upfirdn(double[][][][] x, double[][] k, int up, int down, int p0, int p1) {
        int b = x.length, c = x[0].length, h = x[0][0].length, w = x[0][0][0].length, n = k.length;
        int hp = h * up + p0 + p1, wp = w * up + p0 + p1;
        int ho = (hp - n) / down + 1, wo = (wp - n) / down + 1;
        double[][][][] out = new double[b][c][ho][wo];
        for (int i = 0; i < b; i++) {
            for (int ch = 0; ch < c; ch++) {
                double[][] pad = new double[hp][wp];
                for (int y = 0; y < h; y++) for (int xx = 0; xx < w; xx++) pad[p0 + y * up][p0 + xx * up] = x[i][ch][y][xx];
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double s = 0;
                        for (int ky = 0; ky < n; ky++) {
                            for (int kx = 0; kx < n; kx++) s += pad[oy * down + ky][ox * down + kx] * k[n - 1 - ky][n - 1 - kx];
                        }
                        out[i][ch][oy][ox] = s;
                    }
                }
            }
        }
        return out;
    }

    static double[][][][] array(INDArray a) {
        long[] s = a.shape();
        double[][][][] out = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int i = 0; i < s[0]; i++) for (int c = 0; c < s[1]; c++) for (int y = 0; y < s[2]; y++) for (int x = 0; x < s[3]; x++) {
            out[i][c][y][x] = a.getDouble(i, c, y, x);
        }
        return out;
    }

    static void assertSame(INDArray actual, double[][][][] expected) {
        assertThat(actual.shape()).containsExactly(expected.length, expected[0].length, expected[0][0].length, expected[0][0][0].length);
        double[][][][] a = array(actual);
        for (int i = 0; i < a.length; i++) for (int c = 0; c < a[0].length; c++) for (int y = 0; y < a[0][0].length; y++) {
            for (int x = 0; x < a[0][0][0].length; x++) assertThat(a[i][c][y][x]).isCloseTo(expected[i][c][y][x], within(1e-5));
        }
    }

    static INDArray run(java.util.function.BiFunction<Layers, SDVariable, SDVariable> op, INDArray x) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, x.size(1), x.size(2), x.size(3));
        Layers l = new Layers(sd, new Rng(1), DataType.FLOAT, -1, false, new java.util.HashSet<>());
        SDVariable out = op.apply(l, in);
        return sd.output(Map.of("x", x), out.name()).get(out.name());
    }

    @Test
    void paddingsAreTheReferences() {
        // upsample_2d: p = 4 - 2, pad ((p + 1) // 2 + 1, p // 2), gain 4
        assertThat(Fir.upsample(K)).extracting(Fir.Plan::up, Fir.Plan::down, Fir.Plan::pad0, Fir.Plan::pad1).containsExactly(2, 1, 2, 1);
        assertThat(Fir.upsample(K).kernel()[1][1]).isCloseTo(9.0 / 64 * 4, within(1e-12));
        // downsample_2d: pad ((p + 1) // 2, p // 2)
        assertThat(Fir.downsample(K)).extracting(Fir.Plan::up, Fir.Plan::down, Fir.Plan::pad0, Fir.Plan::pad1).containsExactly(1, 2, 1, 1);
        // upsample_conv_2d after the transposed 3x3 conv: p = 2 - 2 = 0, pad (p + 1) // 2 + 1, p // 2 + 1
        assertThat(Fir.afterTransposedConv(K, 3)).extracting(Fir.Plan::pad0, Fir.Plan::pad1).containsExactly(1, 1);
        // conv_downsample_2d before the 3x3 conv: p = 2 + 2
        assertThat(Fir.beforeStridedConv(K, 3)).extracting(Fir.Plan::pad0, Fir.Plan::pad1).containsExactly(2, 2);
        assertThat(Fir.upsample(K).out(8)).isEqualTo(16);
        assertThat(Fir.downsample(K).out(8)).isEqualTo(4);
    }

    @Test
    void upsamplingAndDownsamplingMatchUpfirdn() {
        INDArray x = new Rng(2).normal(DataType.FLOAT, 2, 3, 6, 6);
        Fir.Plan up = Fir.upsample(K);
        Fir.Plan down = Fir.downsample(K);
        assertSame(run((l, v) -> l.upfirdn(v, 3, 6, 6, up), x), upfirdn(array(x), up.kernel(), 2, 1, 2, 1));
        assertSame(run((l, v) -> l.upfirdn(v, 3, 6, 6, down), x), upfirdn(array(x), down.kernel(), 1, 2, 1, 1));
        // an asymmetric kernel checks the flip
        double[] skew = {1, 2, 5};
        Fir.Plan u2 = Fir.upsample(skew);
        assertSame(run((l, v) -> l.upfirdn(v, 3, 6, 6, u2), x), upfirdn(array(x), u2.kernel(), 2, 1, u2.pad0(), u2.pad1()));
    }

    @Test
    void upsamplingWithOneThreeThreeOneIsBilinear() {
        // [1, 3, 3, 1] upsampling: out[2i] = x[i-1]/4 + 3x[i]/4, out[2i+1] = 3x[i]/4 + x[i+1]/4 on each axis
        INDArray x = Nd4j.ones(DataType.FLOAT, 1, 1, 4, 4);
        INDArray y = run((l, v) -> l.upfirdn(v, 1, 4, 4, Fir.upsample(K)), x);
        assertThat(y.getDouble(0, 0, 3, 4)).isCloseTo(1.0, within(1e-6));
        assertThat(y.getDouble(0, 0, 0, 4)).isCloseTo(0.75, within(1e-6));
        assertThat(y.getDouble(0, 0, 0, 0)).isCloseTo(0.75 * 0.75, within(1e-6));
    }

    @Test
    void convolutionalResamplingMatchesUpfirdnAndConv() {
        INDArray x = new Rng(3).normal(DataType.FLOAT, 2, 3, 6, 6);
        INDArray w = new Rng(4).normal(DataType.FLOAT, 5, 3, 3, 3);
        double[][][][] xs = array(x);
        double[][][][] ws = array(w);

        // conv_downsample_2d: FIR with pads (2, 2), then a stride-2 valid 3x3 conv
        double[][][][] blurred = upfirdn(xs, Fir.kernel2d(K, 1), 1, 1, 2, 2);
        double[][][][] down = new double[2][5][3][3];
        for (int b = 0; b < 2; b++) for (int o = 0; o < 5; o++) for (int y = 0; y < 3; y++) for (int xx = 0; xx < 3; xx++) {
            double s = 0;
            for (int i = 0; i < 3; i++) for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) {
                s += blurred[b][i][2 * y + ky][2 * xx + kx] * ws[o][i][ky][kx];
            }
            down[b][o][y][xx] = s;
        }
        assertSame(run((l, v) -> l.convDownsample(conv(l, w), v, 3, 6, 6, K), x), down);

        // upsample_conv_2d: conv_transpose2d(x, flip(w) with in/out swapped, stride 2), then FIR with pads (1, 1)
        double[][][][] tr = new double[2][5][13][13];
        for (int b = 0; b < 2; b++) for (int o = 0; o < 5; o++) for (int i = 0; i < 3; i++) for (int y = 0; y < 6; y++) {
            for (int xx = 0; xx < 6; xx++) for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) {
                tr[b][o][2 * y + ky][2 * xx + kx] += xs[b][i][y][xx] * ws[o][i][2 - ky][2 - kx];
            }
        }
        double[][][][] up = upfirdn(tr, Fir.kernel2d(K, 4), 1, 1, 1, 1);
        assertSame(run((l, v) -> l.upsampleConv(conv(l, w), v, 5, 6, 6, K), x), up);
    }

    /** A conv of the given weight [out, in, 3, 3] (stored as the layers store it) with zero bias. */
    static Layers.Conv conv(Layers l, INDArray w) {
        return new Layers.Conv(l.sd().constant(w.permute(Layers.CONV_STORED_AXES).dup('c')), l.sd().constant(Nd4j.zeros(DataType.FLOAT, w.size(0))), 3);
    }
}
