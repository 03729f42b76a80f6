package org.sdex.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sdex.core.plugin.PluginLoader;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.run.RunOptions;

/**
 * Wires the kernel: the run options, the plugin registry (built-ins plus plugin folders, loaded
 * once), and through constructor injection the validator and the runner.
 */
public final class KernelModule extends AbstractModule {
    private final RunOptions options;

    public KernelModule(RunOptions options) { this.options = options; }

    @Override
    protected void configure() {
        bind(RunOptions.class).toInstance(options);
    }

    @Provides
    @Singleton
    PluginRegistry registry() {
        List<Path> dirs = new ArrayList<>(PluginLoader.defaultDirs());
        dirs.addAll(options.pluginDirs());
        return PluginLoader.load(dirs);
    }
}
