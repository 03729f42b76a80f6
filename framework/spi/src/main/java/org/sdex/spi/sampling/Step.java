package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Result of one sampler update: the new state and its noise-free mean (used for the final denoising step). */
public record Step(INDArray x, INDArray mean) {}
