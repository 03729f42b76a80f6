package org.sdex.spi.sde;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides an SDE by name ({@code vp}, {@code subvp}, {@code ve}, ...). */
public interface SdePlugin extends Plugin {
    Sde create(Params params);

    @Override
    default PluginKind kind() { return PluginKind.SDE; }
}
