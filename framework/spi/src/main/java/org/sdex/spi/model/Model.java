package org.sdex.spi.model;

/** What a model plugin makes: an analytic score, or a network for the kernel to train. */
public sealed interface Model permits AnalyticModel, NetworkModel {}
