package org.sdex.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds plugin jars in tests the way a third party would: compile against the SPI, add a service file. */
final class PluginJars {
    private PluginJars() {}

    /**
     * Compiles the given sources (fully qualified class name → source) and writes a jar whose
     * service files are {@code services} (service interface → provider class names).
     */
    static Path build(Path work, String jarName, Map<String, String> sources, Map<String, List<String>> services) throws IOException {
        Path src = Files.createDirectories(work.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
        String[] args = new String[sources.size() + 6];
        int i = 0;
        args[i++] = "-d";
        args[i++] = classes.toString();
        args[i++] = "-cp";
        args[i++] = System.getProperty("java.class.path");
        args[i++] = "--release";
        args[i++] = "17";
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args[i++] = f.toString();
        }
        if (!sources.isEmpty()) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac.run(null, null, null, args) != 0) throw new IllegalStateException("test plugin did not compile");
        }
        Path jar = work.resolve(jarName + ".jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            try (var walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(p));
                    out.closeEntry();
                }
            }
            for (Map.Entry<String, List<String>> e : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
                out.write(String.join("\n", e.getValue()).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Source of a small SDE plugin (constant-coefficient VP-like SDE) named {@code name}. */
    static String sdeSource(String pkg, String name) {
        return """
                package %s;

                import java.util.List;
                import org.sdex.spi.Param;
                import org.sdex.spi.Params;
                import org.sdex.spi.sde.NoiseLabel;
                import org.sdex.spi.sde.Sde;
                import org.sdex.spi.sde.SdePlugin;

                public class ConstantSdePlugin implements SdePlugin {
                    public String name() { return "%s"; }
                    public String description() { return "Ornstein-Uhlenbeck SDE with constant beta (test plugin)"; }
                    public String version() { return "0.3"; }
                    public List<Param> parameters() { return List.of(Param.real("beta", 2.0, "constant beta").positive()); }
                    public Sde create(Params p) {
                        double beta = p.real("beta");
                        return new Sde() {
                            public double driftCoefficient(double t) { return -0.5 * beta; }
                            public double diffusion(double t) { return Math.sqrt(beta); }
                            public double meanScale(double t) { return Math.exp(-0.5 * beta * t); }
                            public double marginalStd(double t) { return Math.sqrt(1 - Math.exp(-beta * t)); }
                            public double priorStd() { return 1.0; }
                            public NoiseLabel noiseLabel() { return NoiseLabel.TIME_999; }
                        };
                    }
                }
                """.formatted(pkg, name);
    }
}
