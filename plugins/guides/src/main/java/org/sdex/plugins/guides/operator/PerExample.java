package org.sdex.plugins.guides.operator;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Applies a map of one example's values (in double precision) to every row of a batch; the result has the input's dtype. */
final class PerExample {
    private PerExample() {}

    interface Map {
        void apply(double[] in, double[] out);
    }

    static INDArray map(INDArray x, int inSize, long[] outShape, Map f) {
        int b = Math.toIntExact(x.size(0));
        if (x.length() != (long) b * inSize) {
            throw new IllegalArgumentException("expected rows of " + inSize + " values, got shape " + Arrays.toString(x.shape()));
        }
        double[] flat = x.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {x.length()}).toDoubleVector();
        int outSize = 1;
        for (long s : outShape) outSize = Math.multiplyExact(outSize, Math.toIntExact(s));
        double[] result = new double[b * outSize];
        double[] in = new double[inSize], out = new double[outSize];
        for (int r = 0; r < b; r++) {
            System.arraycopy(flat, r * inSize, in, 0, inSize);
            Arrays.fill(out, 0);
            f.apply(in, out);
            System.arraycopy(out, 0, result, r * outSize, outSize);
        }
        long[] shape = new long[outShape.length + 1];
        shape[0] = b;
        System.arraycopy(outShape, 0, shape, 1, outShape.length);
        return Nd4j.create(result, shape, DataType.DOUBLE).castTo(x.dataType());
    }
}
