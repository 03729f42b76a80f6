package org.sdex.metrics;

import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.evaluate.FeatureNetwork;
import org.sdex.core.evaluate.ImageMetrics;
import org.sdex.spi.random.Rng;

/** This module's FID, KID and Inception-v3 for the kernel's {@code evaluate} block (registered as a service). */
public final class FeatureDistances implements ImageMetrics {
    @Override
    public FeatureNetwork inception(Path weights, int batch) {
        InceptionFeatures net = InceptionFeatures.load(weights);
        return new FeatureNetwork() {
            @Override public INDArray features(INDArray images) { return net.features(images, batch); }

            @Override public String describe() { return "Inception-v3 " + weights.getFileName() + " (pool3, " + InceptionFeatures.FEATURES + " features)"; }
        };
    }

    @Override
    public double frechetDistance(INDArray features1, INDArray features2) { return FrechetDistance.between(features1, features2); }

    @Override
    public Kid kernelDistance(INDArray features1, INDArray features2, int subsets, int subsetSize, long seed) {
        KernelInceptionDistance.Result r = KernelInceptionDistance.between(features1, features2, subsets, subsetSize, new Rng(seed));
        return new Kid(r.mean(), r.standardError(), r.subsetSize());
    }
}
