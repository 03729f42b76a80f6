package org.sdex.core.run;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The number of threads ND4J computes with. The sdex launcher sets it before the JVM starts
 * ({@code OMP_NUM_THREADS}, read when the native library loads); a JVM started otherwise (a sweep
 * executor, an embedding) sets it here, which caps ND4J's own parallel loops and BLAS.
 */
public final class ComputeThreads {
    private static final Logger log = LoggerFactory.getLogger(ComputeThreads.class);

    private ComputeThreads() {}

    public static void set(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        log.info("computing with {} thread{}", threads, threads == 1 ? "" : "s");
    }
}
