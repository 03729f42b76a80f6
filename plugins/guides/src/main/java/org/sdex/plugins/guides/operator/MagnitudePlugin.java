package org.sdex.plugins.guides.operator;

import org.sdex.spi.Params;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;

/** {@code magnitude}: {@code |x|} per coordinate, a non-linear phase-retrieval-style measurement (as the non-linear tasks of DPS, Chung et al. 2023). */
public final class MagnitudePlugin implements OperatorPlugin {
    @Override public String name() { return "magnitude"; }

    @Override public String description() { return "non-linear: the absolute value of each coordinate (the sign is lost)"; }

    @Override public boolean linear(Params params) { return false; }

    @Override public Operator create(Params params, OperatorContext context) { return new Magnitude(context.exampleShape()); }
}
