package com.example.sdex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.plugin.PluginLoader;
import org.sdex.core.plugin.PluginRegistry;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.sample.Sampler;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sde.Sde;

/**
 * The example plugin works the way a user would use it: its classes packed as a jar, dropped into a
 * plugin folder, found by sdex's loader in a class loader of its own, and run in the PC sampler.
 */
class DropInTest {
    @TempDir Path work;

    /** The jar `mvn package` builds, made here from target/classes so the test runs before packaging. */
    private Path jar() throws IOException {
        Path classes = Path.of("target/classes");
        Path dir = Files.createDirectories(work.resolve("plugins.d"));
        Path jar = dir.resolve("stochastic-heun.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
             var files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
        return dir;
    }

    @Test
    void theDroppedJarIsFoundInItsOwnClassLoaderAndSamplesAGaussian() throws IOException {
        PluginRegistry registry = PluginLoader.load(java.util.List.of(jar()));
        PluginRegistry.Entry e = registry.get(PluginKind.PREDICTOR, "stochastic_heun");
        assertThat(e.source()).endsWith("stochastic-heun.jar");
        // loaded from the jar by a loader of its own (this module's classes are not on the test class path)
        assertThat(e.plugin().getClass().getClassLoader()).isNotSameAs(DropInTest.class.getClassLoader());
        assertThat(e.plugin().getClass().getName()).isEqualTo("com.example.sdex.StochasticHeunPlugin");

        PredictorPlugin heun = (PredictorPlugin) e.plugin();
        CorrectorPlugin none = registry.plugin(PluginKind.CORRECTOR, "none", CorrectorPlugin.class);
        SamplingMethod method = new SamplingMethod.PredictorCorrector(new Resolved<>(heun, Params.of(heun, Map.of())),
                new Resolved<>(none, Params.of(none, Map.of())));
        // data N(0, 0.5^2): exact score -x / (alpha^2 0.25 + sigma^2); 100 Heun steps (200 NFE)
        Sde sde = new VpSde(0.1, 20);
        ScoreFunction score = (x, t) -> x.mul(-1.0 / (Math.pow(sde.meanScale(t), 2) * 0.25 + Math.pow(sde.marginalStd(t), 2)));
        SampleSettings s = new SampleSettings(100, 20_000, 0, 1e-3, true, false, false, 1);
        Sampler.Result r = new Sampler(sde, score, method, s).sample(new long[] {2}, DataType.DOUBLE, null);
        assertThat(r.nfe()).isEqualTo(200);
        INDArray x = r.samples();
        // 40,000 values: the std's standard error is 0.35%; Heun's bias at 100 steps is far below
        assertThat(x.stdNumber().doubleValue()).isCloseTo(0.5, offset(0.01));
        assertThat(x.meanNumber().doubleValue()).isCloseTo(0.0, offset(0.01));
    }
}
