package org.sdex.spi.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Examples drawn with their class labels: {@code labels[i]} is the class of row i of
 * {@code examples}, in [0, {@link Dataset#classes()}).
 */
public record LabelledDraw(INDArray examples, int[] labels) {}
