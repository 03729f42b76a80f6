package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The state at the end time, with the cost: right-hand-side evaluations and accepted/rejected steps. */
public record OdeSolution(INDArray y, int evaluations, int acceptedSteps, int rejectedSteps) {}
