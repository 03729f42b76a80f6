package org.sdex.plugins.guides.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;
import org.sdex.spi.operator.Svd;
import org.sdex.spi.random.Rng;

/** The contract of every linear operator (adjoint, pseudo-inverse, SVD) and the closed forms of each built-in one. */
class OperatorContractTest {
    static final long[] IMAGE = {3, 4, 6};
    static final double TOL = 1e-10;

    static OperatorPlugin plugin(String name) {
        return ServiceLoader.load(OperatorPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    static Operator operator(String name, long[] shape, Map<String, ?> params) {
        OperatorPlugin p = plugin(name);
        return p.create(Params.of(p, params), new OperatorContext(shape, null, org.sdex.core.run.Npy::read));
    }

    static Stream<Arguments> linearOperators() {
        List<Arguments> out = new ArrayList<>();
        for (long[] shape : new long[][] {IMAGE, {2}, {6}, {1, 5, 4}}) {
            out.add(Arguments.of("inpaint box", shape, operator("inpaint", shape, Map.of())));
            out.add(Arguments.of("inpaint random", shape, operator("inpaint", shape, Map.of("mask", "random", "missing", 0.5, "seed", 3))));
            out.add(Arguments.of("inpaint half", shape, operator("inpaint", shape, Map.of("mask", "half"))));
            out.add(Arguments.of("denoise", shape, operator("denoise", shape, Map.of())));
            out.add(Arguments.of("blur", shape, operator("blur", shape, Map.of("size", 3, "width", 0.8))));
        }
        out.add(Arguments.of("superres", IMAGE, operator("superres", IMAGE, Map.of("factor", 2))));
        out.add(Arguments.of("superres 1-D", new long[] {6}, operator("superres", new long[] {6}, Map.of("factor", 3))));
        out.add(Arguments.of("colorize", IMAGE, operator("colorize", IMAGE, Map.of())));
        out.add(Arguments.of("colorize 3x1x2", new long[] {3, 1, 2}, operator("colorize", new long[] {3, 1, 2}, Map.of())));
        out.add(Arguments.of("wide blur", IMAGE, operator("blur", IMAGE, Map.of("size", 7, "width", 3.0))));
        return out.stream();
    }

    static INDArray random(long seed, long b, long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = b;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return new Rng(seed).normal(DataType.DOUBLE, s);
    }

    static double dot(INDArray a, INDArray b) { return a.castTo(DataType.DOUBLE).mul(b.castTo(DataType.DOUBLE)).sumNumber().doubleValue(); }

    static double maxDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).sub(b.castTo(DataType.DOUBLE).reshape(b.length())).amaxNumber().doubleValue();
    }

    /** ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ relative to the size of the terms. */
    static double adjointError(LinearOperator a, INDArray x, INDArray y) {
        double left = dot(a.forward(x), y), right = dot(x, a.adjoint(y));
        return Math.abs(left - right) / (1 + Math.abs(left));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("linearOperators")
    void adjointPseudoInverseAndSvdAgreeWithTheForwardMap(String label, long[] shape, Operator op) {
        LinearOperator a = (LinearOperator) op;
        INDArray x = random(1, 5, shape);
        INDArray y = random(2, 5, a.outputShape());
        assertThat(adjointError(a, x, y)).isLessThan(TOL);
        INDArray ax = a.forward(x);
        assertThat(maxDiff(a.forward(a.pseudoInverse(ax)), ax)).as("A A+ A = A").isLessThan(TOL);
        INDArray pinv = a.pseudoInverse(y);
        assertThat(maxDiff(a.pseudoInverse(a.forward(pinv)), pinv)).as("A+ A A+ = A+").isLessThan(TOL);

        Svd svd = a.svd().orElseThrow();
        double[] s = svd.singularValues();
        int m = s.length;
        INDArray c = svd.vt(x);
        assertThat(maxDiff(svd.v(c), x)).as("V Vt = I").isLessThan(TOL);
        assertThat(dot(c, c)).as("Vt keeps norms").isCloseTo(dot(x, x), org.assertj.core.data.Offset.offset(1e-9 * dot(x, x)));
        INDArray yc = svd.ut(y);
        assertThat(maxDiff(svd.u(yc), y)).as("U Ut = I").isLessThan(TOL);
        INDArray scaled = c.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m)).dup()
                .mulRowVector(Nd4j.createFromArray(s));
        assertThat(maxDiff(svd.u(scaled), ax)).as("U S Vt = A").isLessThan(TOL);
        for (double v : s) assertThat(v).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theAdjointCheckCatchesAWrongAdjoint() {
        LinearOperator a = (LinearOperator) operator("blur", IMAGE, Map.of());
        LinearOperator wrong = new LinearOperator() {
            public long[] inputShape() { return a.inputShape(); }
            public long[] outputShape() { return a.outputShape(); }
            public INDArray forward(INDArray x) { return a.forward(x); }
            public INDArray adjoint(INDArray y) { return y.dup(); } // the identity is not the blur's adjoint
            public INDArray pseudoInverse(INDArray y) { return y.dup(); }
        };
        assertThat(adjointError(wrong, random(1, 5, IMAGE), random(2, 5, IMAGE))).isGreaterThan(1e-3);
    }

    @Test
    void closedForms() {
        INDArray x = random(4, 2, IMAGE);
        // colorize: the channel mean
        INDArray gray = operator("colorize", IMAGE, Map.of()).forward(x);
        assertThat(gray.shape()).containsExactly(2, 1, 4, 6);
        assertThat(gray.getDouble(1, 0, 2, 3)).isCloseTo((x.getDouble(1, 0, 2, 3) + x.getDouble(1, 1, 2, 3) + x.getDouble(1, 2, 2, 3)) / 3,
                org.assertj.core.data.Offset.offset(1e-12));
        // superres: block means
        INDArray low = operator("superres", IMAGE, Map.of("factor", 2)).forward(x);
        assertThat(low.shape()).containsExactly(2, 3, 2, 3);
        double block = (x.getDouble(0, 2, 2, 4) + x.getDouble(0, 2, 2, 5) + x.getDouble(0, 2, 3, 4) + x.getDouble(0, 2, 3, 5)) / 4;
        assertThat(low.getDouble(0, 2, 1, 2)).isCloseTo(block, org.assertj.core.data.Offset.offset(1e-12));
        // blur: constants stay (normalised kernel), and a point spreads symmetrically
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 1, 3, 4, 6);
        assertThat(maxDiff(operator("blur", IMAGE, Map.of()).forward(ones), ones)).isLessThan(1e-12);
        INDArray point = Nd4j.zeros(DataType.DOUBLE, 1, 1, 5, 5);
        point.putScalar(new long[] {0, 0, 2, 2}, 1);
        INDArray spread = operator("blur", new long[] {1, 5, 5}, Map.of("size", 3, "width", 1.0)).forward(point);
        double g1 = Math.exp(-0.5) / (1 + 2 * Math.exp(-0.5));
        assertThat(spread.getDouble(0, 0, 2, 3)).isCloseTo(g1 * (1 - 2 * g1), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(spread.getDouble(0, 0, 1, 2)).isCloseTo(spread.getDouble(0, 0, 3, 2), org.assertj.core.data.Offset.offset(1e-15));
        // inpaint: the centred box is zero, the rest passes
        INDArray kept = operator("inpaint", IMAGE, Map.of()).forward(x);
        assertThat(kept.getDouble(0, 1, 1, 2)).isZero();
        assertThat(kept.getDouble(0, 1, 0, 0)).isEqualTo(x.getDouble(0, 1, 0, 0));
        // random: exactly the fraction of pixels missing, the same in every channel
        INDArray r = operator("inpaint", IMAGE, Map.of("mask", "random", "missing", 0.25, "seed", 9)).forward(Nd4j.ones(DataType.DOUBLE, 1, 3, 4, 6));
        assertThat(r.sumNumber().doubleValue()).isEqualTo(3 * 18);
        // magnitude
        assertThat(maxDiff(operator("magnitude", IMAGE, Map.of()).forward(x), org.nd4j.linalg.ops.transforms.Transforms.abs(x, true))).isZero();
    }

    @Test
    void magnitudeVjpMatchesFiniteDifferences() {
        Operator a = operator("magnitude", new long[] {6}, Map.of());
        INDArray x = random(5, 3, new long[] {6});
        INDArray v = random(6, 3, new long[] {6});
        INDArray dir = random(7, 3, new long[] {6});
        double h = 1e-6;
        double fd = (dot(a.forward(x.add(dir.mul(h))), v) - dot(a.forward(x.sub(dir.mul(h))), v)) / (2 * h);
        assertThat(dot(a.vjp(x, v), dir)).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void maskFileAndBadParameters(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mask.npy");
        writeMask(file, new int[] {4, 6});
        Operator fromFile = operator("inpaint", IMAGE, Map.of("mask", "file", "file", file.toString()));
        INDArray y = fromFile.forward(Nd4j.ones(DataType.DOUBLE, 1, 3, 4, 6));
        assertThat(y.getDouble(0, 2, 0, 0)).isEqualTo(1); // pixel 0 observed
        assertThat(y.getDouble(0, 2, 0, 1)).isZero();     // pixel 1 missing
        assertThatThrownBy(() -> operator("inpaint", new long[] {3, 5, 6}, Map.of("mask", "file", "file", file.toString())))
                .isInstanceOf(ParamException.class).hasMessageContaining("expected [5, 6]");
        // a mask file is untrusted input: a truncated one is refused in one line at the setting, nothing read past its end
        byte[] whole = Files.readAllBytes(file);
        Path truncated = Files.write(dir.resolve("truncated.npy"), java.util.Arrays.copyOf(whole, whole.length - 5));
        assertThatThrownBy(() -> operator("inpaint", IMAGE, Map.of("mask", "file", "file", truncated.toString())))
                .isInstanceOf(ParamException.class).hasMessageContaining("mask file " + truncated).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> operator("colorize", new long[] {1, 4, 4}, Map.of())).hasMessageContaining("[3, H, W]");
        assertThatThrownBy(() -> operator("superres", IMAGE, Map.of("factor", 4))).hasMessageContaining("must divide");
        assertThatThrownBy(() -> operator("blur", IMAGE, Map.of("size", 4))).hasMessageContaining("odd");
        assertThatThrownBy(() -> operator("inpaint", IMAGE, Map.of("box", List.of(0, 0, 5, 1)))).hasMessageContaining("inside");
    }

    /** A uint8 .npy mask of the given shape with every other pixel observed. */
    static void writeMask(Path file, int[] shape) throws Exception {
        int count = 1;
        for (int s : shape) count *= s;
        StringBuilder dims = new StringBuilder();
        for (int s : shape) dims.append(s).append(", ");
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + count).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < count; i++) b.put((byte) (i % 2 == 0 ? 1 : 0));
        Files.write(file, b.array());
    }
}
