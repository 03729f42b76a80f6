package org.sdex.spi.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/**
 * What a model plugin may use when it is created: the SDE it will be paired with, the dataset
 * (the exact model reads the data's mixture from it), the shape of one example, the working
 * dtype and a seeded generator for weight initialisation.
 */
public record ModelContext(Sde sde, Dataset dataset, long[] dataShape, DataType dataType, Rng rng) {}
