package org.sdex.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.bp.VarianceBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.MulBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.random.Rng;

/** The faster kernels against closed forms evaluated in double precision, and where they do not apply. */
class FastKernelsTest {
    static { org.sdex.core.train.Fixtures.quietNd4j(); }

    private final List<INDArray> work = new ArrayList<>();
    private final Function<INDArray, INDArray> scratch = like -> {
        INDArray a = Nd4j.createUninitialized(like.dataType(), like.shape());
        work.add(a);
        return a;
    };

    /** x in [-40, 40] with the special points 0, ±1e-4, ±1, ±15 among them. */
    private static INDArray inputs() {
        Rng rng = new Rng(11);
        INDArray x = rng.uniform(DataType.FLOAT, 4, 8, 5, 5).subi(0.5).muli(80);
        float[] special = {0f, 1e-4f, -1e-4f, 1f, -1f, 15f, -15f};
        for (int i = 0; i < special.length; i++) x.putScalar(i, special[i]);
        return x;
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    private void run(FastKernels.Kernel k) {
        assertThat(k).as("a kernel applies").isNotNull();
        k.run(Nd4j.getExecutioner());
        k.close();
    }

    @Test
    void swishIsXTimesSigmoid() {
        INDArray x = inputs(), z = x.ulike();
        run(FastKernels.of(new Swish(), List.of(x), List.of(z), scratch));
        for (long i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            assertThat(z.getDouble(i)).as("swish(%s)", v).isCloseTo(v * sigmoid(v), org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(v))));
        }
    }

    @Test
    void swishDerivativeIsTheClosedForm() {
        INDArray x = inputs(), d = x.ulike();
        run(FastKernels.of(new SwishDerivative(), List.of(x), List.of(d), scratch));
        for (long i = 0; i < x.length(); i++) {
            double v = x.getDouble(i), s = sigmoid(v);
            assertThat(d.getDouble(i)).as("swish'(%s)", v).isCloseTo(s + v * s * (1 - s), org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(v))));
        }
        assertThat(work).as("one work array").hasSize(1);
    }

    @Test
    void broadcastMultiplyBackwardSumsOverTheBroadcastAxes() {
        Rng rng = new Rng(5);
        long[][] small = {{4, 8, 1, 1}, {1, 8, 1, 1}, {4, 1, 5, 1}};
        for (long[] shape : small) {
            for (boolean smallFirst : new boolean[] {false, true}) {
                INDArray full = rng.normal(DataType.FLOAT, 4, 8, 5, 5), s = rng.normal(DataType.FLOAT, shape);
                INDArray g = rng.normal(DataType.FLOAT, 4, 8, 5, 5);
                INDArray dFull = full.ulike(), dSmall = s.ulike().assign(Float.NaN);
                List<INDArray> in = smallFirst ? List.of(s, full, g) : List.of(full, s, g);
                List<INDArray> out = smallFirst ? List.of(dSmall, dFull) : List.of(dFull, dSmall);
                run(FastKernels.of(new MulBpOp(), in, out, scratch));
                // closed forms: d full = g * s (broadcast), d small = sum over the broadcast axes of g * full
                double[] expectedSmall = new double[(int) s.length()];
                for (int b = 0; b < 4; b++) for (int c = 0; c < 8; c++) for (int h = 0; h < 5; h++) for (int w = 0; w < 5; w++) {
                    int sb = shape[0] == 1 ? 0 : b, sc = shape[1] == 1 ? 0 : c, sh = shape[2] == 1 ? 0 : h;
                    double sv = s.getDouble(sb, sc, sh, 0), gv = g.getDouble(b, c, h, w);
                    assertThat(dFull.getDouble(b, c, h, w)).isCloseTo(gv * sv, org.assertj.core.data.Offset.offset(1e-6));
                    expectedSmall[(int) ((sb * shape[1] + sc) * shape[2] + sh)] += gv * full.getDouble(b, c, h, w);
                }
                for (int i = 0; i < expectedSmall.length; i++) {
                    assertThat(dSmall.getDouble(i)).as("%s small first %s [%d]", java.util.Arrays.toString(shape), smallFirst, i)
                            .isCloseTo(expectedSmall[i], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void varianceBackwardIsTheScaledDeviationTimesTheGradient() {
        Rng rng = new Rng(8);
        for (boolean corrected : new boolean[] {false, true}) {
            INDArray x = rng.normal(DataType.FLOAT, 4, 8, 5, 5).muli(3).addi(1), g = rng.normal(DataType.FLOAT, 4, 8);
            INDArray d = x.ulike().assign(Float.NaN);
            run(FastKernels.of(new VarianceBp(), List.of(x, g), List.of(d), List.of(2L, 3L), List.of(false, corrected), scratch));
            for (int b = 0; b < 4; b++) for (int c = 0; c < 8; c++) {
                double mean = 0;
                for (int h = 0; h < 5; h++) for (int w = 0; w < 5; w++) mean += x.getDouble(b, c, h, w) / 25;
                for (int h = 0; h < 5; h++) for (int w = 0; w < 5; w++) {
                    double expected = g.getDouble(b, c) * 2 * (x.getDouble(b, c, h, w) - mean) / (corrected ? 24 : 25);
                    assertThat(d.getDouble(b, c, h, w)).as("corrected %s [%d, %d, %d, %d]", corrected, b, c, h, w)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
        INDArray x = rng.normal(DataType.FLOAT, 4, 8, 5, 5);
        assertThat(FastKernels.of(new VarianceBp(), List.of(x, rng.normal(DataType.FLOAT, 4, 8)), List.of(x.ulike()), List.of(), List.of(false, false), scratch))
                .as("axes given as an input array").isNull();
    }

    @Test
    void notForOtherArrays() {
        INDArray x = inputs();
        assertThat(FastKernels.of(new Swish(), List.of(x), List.of(x), scratch)).as("in place").isNull();
        INDArray xd = x.castTo(DataType.DOUBLE);
        assertThat(FastKernels.of(new Swish(), List.of(xd), List.of(xd.ulike()), scratch)).as("double").isNull();
        INDArray view = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3));
        assertThat(FastKernels.of(new Swish(), List.of(view), List.of(view.ulike()), scratch)).as("view").isNull();
        INDArray a = x.dup(), b = x.dup(), g = x.dup();
        assertThat(FastKernels.of(new MulBpOp(), List.of(a, b, g), List.of(a.ulike(), b.ulike()), scratch))
                .as("no broadcast: the op itself is fast").isNull();
        INDArray row = Nd4j.rand(DataType.FLOAT, 5, 5);
        assertThat(FastKernels.of(new MulBpOp(), List.of(x, row, x), List.of(x.ulike(), row.ulike()), scratch))
                .as("other rank").isNull();
        assertThat(work).isEmpty();
    }
}
