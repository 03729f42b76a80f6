package org.sdex.spi.guide;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides a conditioning guide by name ({@code inpainting}, {@code colorization}, ...). */
public interface GuidePlugin extends Plugin {
    Guide create(Params params, GuideContext context);

    @Override
    default PluginKind kind() { return PluginKind.GUIDE; }
}
