package org.sdex.core.evaluate;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A network whose feature vectors FID and KID compare: the FID Inception-v3, or an sdex classifier's penultimate layer. */
public interface FeatureNetwork {
    /** Feature vectors [N, d] of images [N, C, H, W] with values in [0, 1]. */
    INDArray features(INDArray images);

    /** What the numbers were computed on, for metrics.jsonl: "classifier experiments/classifiers/fashion.sdex (128 features)". */
    String describe();
}
