package org.sdex.spi.sde;

/** One discretised forward step of a linear SDE: {@code x' = x + driftScale * x + noiseScale * z}. */
public record Discretization(double driftScale, double noiseScale) {}
