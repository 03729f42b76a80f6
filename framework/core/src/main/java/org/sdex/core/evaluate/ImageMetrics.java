package org.sdex.core.evaluate;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.error.SdexException;

/**
 * FID, KID and the FID Inception-v3 as the {@code evaluate} block uses them. They live in the
 * sdex-metrics module, which builds on the kernel, so the kernel finds them on the class path
 * ({@link ServiceLoader}) instead of depending on them.
 */
public interface ImageMetrics {
    /** The FID Inception weights published with pytorch-fid; sdex reads them, it does not ship them. */
    String INCEPTION_WEIGHTS = "pt_inception-2015-12-05-6726825d.pth";
    /** Where pytorch-fid publishes them. */
    String INCEPTION_URL = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + INCEPTION_WEIGHTS;

    /** KID's mean over subsets, the standard error of that mean, and the rows per subset. */
    record Kid(double mean, double standardError, int subsetSize) {}

    /** The FID Inception-v3 with the weights of {@code weights} (an existing file); images go through in batches. */
    FeatureNetwork inception(Path weights, int batch);

    /** The Fréchet distance between Gaussians fitted to two feature sets [n, d]. */
    double frechetDistance(INDArray features1, INDArray features2);

    /** The unbiased KID over {@code subsets} random subsets of {@code subsetSize} rows (fewer when a set is smaller). */
    Kid kernelDistance(INDArray features1, INDArray features2, int subsets, int subsetSize, long seed);

    /** The implementation on the class path (sdex-metrics). */
    static ImageMetrics find() {
        return ServiceLoader.load(ImageMetrics.class).findFirst().orElseThrow(() -> new SdexException(
                "FID and KID need the sdex-metrics module on the class path (the sdex launcher has it)"));
    }
}
