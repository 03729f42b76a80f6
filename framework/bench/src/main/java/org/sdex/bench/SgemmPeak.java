package org.sdex.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's sgemm speed as ND4J reaches it: the best of a few n x n float32 matrix products
 * after a warm-up, in GFLOP/s (2 n^3 operations each). The PyTorch script measures torch.mm the same way.
 */
final class SgemmPeak {
    static final int SIZE = 4096;

    private SgemmPeak() {}

    static double gflops(int n) {
        try (INDArray a = Nd4j.rand(DataType.FLOAT, n, n); INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
             INDArray c = Nd4j.create(DataType.FLOAT, n, n)) {
            a.mmuli(b, c);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long s = System.nanoTime();
                a.mmuli(b, c);
                best = Math.min(best, System.nanoTime() - s);
            }
            return 2.0 * n * n * (double) n / best;
        }
    }
}
