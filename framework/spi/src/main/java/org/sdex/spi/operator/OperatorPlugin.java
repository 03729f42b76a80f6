package org.sdex.spi.operator;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a measurement operator by name ({@code inpaint}, {@code colorize}, {@code superres}, {@code blur}, ...). */
public interface OperatorPlugin extends Plugin {
    /** Builds the operator for examples of the context's shape; throws {@link org.sdex.spi.ParamException} with one line when it cannot. */
    Operator create(Params params, OperatorContext context);

    /** Whether every operator this plugin makes is a {@link LinearOperator}. */
    default boolean linear(Params params) { return true; }

    @Override
    default PluginKind kind() { return PluginKind.OPERATOR; }
}
