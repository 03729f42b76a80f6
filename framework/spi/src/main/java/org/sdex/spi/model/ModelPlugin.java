package org.sdex.spi.model;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a score model by name ({@code mlp}, {@code exact}, ...). */
public interface ModelPlugin extends Plugin {
    Model create(Params params, ModelContext context);

    @Override
    default PluginKind kind() { return PluginKind.MODEL; }
}
