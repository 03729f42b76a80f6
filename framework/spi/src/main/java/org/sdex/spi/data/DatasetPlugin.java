package org.sdex.spi.data;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a dataset by name ({@code checkerboard}, {@code gmm}, ...). */
public interface DatasetPlugin extends Plugin {
    Dataset open(Params params, DataContext context);

    @Override
    default PluginKind kind() { return PluginKind.DATASET; }
}
