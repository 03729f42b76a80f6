package org.sdex.core.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.sdex.spi.Plugin;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.operator.OperatorPlugin;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.OdeSolverPlugin;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sde.SdePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers plugins with {@link ServiceLoader}: the built-ins on the class path, then every jar in
 * the plugin folders, each in its own class loader that sees only the SPI. A jar that fails to
 * load is reported in the registry's problems and skipped; the others still load.
 */
public final class PluginLoader {
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    /** One service interface per plugin kind. */
    static final List<Class<? extends Plugin>> SERVICES = List.of(
            SdePlugin.class, DatasetPlugin.class, ModelPlugin.class, PredictorPlugin.class,
            CorrectorPlugin.class, OdeSolverPlugin.class, SolverPlugin.class, GuidePlugin.class,
            OperatorPlugin.class);

    private PluginLoader() {}

    /** Provider errors per service file before the rest of the file is given up. */
    private static final int MAX_FAILURES = 20;

    /** Set by the sdex launcher to its own folder: the project's plugins.d lies there. */
    public static final String HOME_PROPERTY = "sdex.home";

    /**
     * The default plugin folders: the project's {@code plugins.d} beside the launcher and
     * {@code ~/.sdex/plugins}. Never the working directory's {@code plugins.d}: a folder one runs
     * {@code sdex validate} in could hold a hostile jar, and loading runs its code. It loads when
     * named with {@code --plugins}.
     */
    public static List<Path> defaultDirs() {
        String home = System.getProperty(HOME_PROPERTY);
        return defaultDirs(Path.of(System.getProperty("user.home")), home == null || home.isBlank() ? null : Path.of(home));
    }

    static List<Path> defaultDirs(Path userHome, Path sdexHome) {
        List<Path> dirs = new java.util.ArrayList<>();
        if (sdexHome != null) dirs.add(sdexHome.resolve("plugins.d"));
        dirs.add(userHome.resolve(".sdex").resolve("plugins"));
        return List.copyOf(dirs);
    }

    public static PluginRegistry load(List<Path> pluginDirs) {
        PluginRegistry registry = new PluginRegistry();
        ClassLoader kernel = PluginLoader.class.getClassLoader();
        loadFrom(registry, kernel, "built-in", false);
        for (Path dir : pluginDirs) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> jars;
            try (Stream<Path> s = Files.list(dir)) {
                jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                registry.problem("cannot read plugin folder " + dir + ": " + e.getMessage());
                continue;
            }
            for (Path jar : jars) loadJar(registry, kernel, jar);
        }
        return registry;
    }

    private static void loadJar(PluginRegistry registry, ClassLoader kernel, Path jar) {
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            registry.problem("cannot load plugin jar " + jar + ": " + e.getMessage());
            return;
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            // only opened to see that it is one
        } catch (IOException e) {
            registry.problem("plugin file " + jar + " is not a jar (" + (e.getMessage() == null ? "not a zip archive" : e.getMessage()) + "); skipped");
            return;
        }
        // the loader stays open for the life of the process: plugin classes are used until exit
        URLClassLoader loader = new URLClassLoader("plugin:" + jar.getFileName(), new URL[] {url}, new SpiOnlyClassLoader(kernel));
        int before = registry.all().size();
        loadFrom(registry, loader, jar.toString(), true);
        if (registry.all().size() == before && registry.problems().stream().noneMatch(p -> p.contains(jar.toString()))) {
            registry.problem("plugin jar " + jar + " declares no sdex plugins (META-INF/services/org.sdex.spi.*Plugin)");
        }
    }

    private static void loadFrom(PluginRegistry registry, ClassLoader loader, String source, boolean onlyOwn) {
        for (Class<? extends Plugin> service : SERVICES) {
            Iterator<? extends Plugin> it = ServiceLoader.load(service, loader).iterator();
            int failures = 0;
            while (true) {
                Plugin plugin;
                try {
                    if (!it.hasNext()) break;
                    plugin = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    String why = e.getCause() != null ? e.getCause().toString() : e.getMessage();
                    registry.problem("cannot load " + service.getSimpleName() + " from " + source + ": " + why);
                    log.debug("plugin load failure in {}", source, e);
                    // ServiceLoader moves on to the next provider named in the file; a jar of nothing but errors stops
                    if (++failures > MAX_FAILURES) break;
                    continue;
                }
                if (onlyOwn && plugin.getClass().getClassLoader() != loader) continue;
                try {
                    registry.add(plugin, source);
                } catch (RuntimeException e) {
                    registry.problem("plugin " + plugin.getClass().getName() + " from " + source + " is broken: " + e);
                }
            }
        }
    }
}
