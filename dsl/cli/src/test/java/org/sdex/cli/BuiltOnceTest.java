package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.cli.counted.CountedEulerMaruyamaPlugin;
import org.sdex.cli.counted.CountedEulerOdePlugin;
import org.sdex.cli.counted.CountedNormalPlugin;
import org.sdex.cli.counted.CountedStandardNormalScorePlugin;
import org.sdex.cli.counted.CountedVpPlugin;
import org.sdex.spi.random.Rng;

/**
 * {@code sdex run} creates each plugin object and reads each data split exactly once: validation
 * makes them to check the experiment and the run uses those. The plugins come from a jar in a
 * plugin folder, as a third party's would, and write a line per object they make.
 */
class BuiltOnceTest {
    @TempDir Path dir;

    @Test
    void aRunOpensEachSplitAndCreatesEachPluginObjectOnce() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        countedPluginJar(plugins.resolve("counted.jar"));
        Path log = dir.resolve("calls.txt");
        String script = """
                def log = '%s'
                experiment('counted') {
                    seed 1
                    data 'counted_normal', log: log
                    sde 'counted_vp', log: log
                    model 'counted_standard_normal', log: log
                    sample { predictor 'counted_euler_maruyama', log: log; steps 10; n 16; plot false }
                    likelihood { ode 'counted_euler', log: log; n 8; roundTrip false }
                }
                """.formatted(log.toString().replace("\\", "\\\\"));
        Path file = Files.writeString(dir.resolve("counted.groovy"), script);

        Sdex.Result r = Sdex.run(dir, "run", file.toString(), "--plugins", plugins.toString(), "--out", dir.resolve("runs").toString(),
                "--no-progress");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("open train", "open test", "sde", "model", "predictor", "ode");
        // the objects made once are the ones that ran: N(0, I) data keeps N(0, I) marginals under
        // this SDE, the probability-flow drift is 0, and log p of a point is the standard normal's
        JsonNode summary = new ObjectMapper().readTree(onlyRun(dir.resolve("runs")).resolve("summary.json").toFile());
        assertThat(summary.at("/sample/nfe").asLong()).isEqualTo(10);
        assertThat(summary.at("/likelihood/points").asLong()).isEqualTo(8);
        assertThat(summary.at("/likelihood/logp").asDouble()).isCloseTo(standardNormalLogDensity(testPoints(8)), Offset.offset(1e-4));
    }

    /** The first n points of the counted data's test split, as it draws them. */
    private static double[][] testPoints(int n) {
        INDArray all = new Rng("test".hashCode()).normal(DataType.FLOAT, 64, 2).castTo(DataType.DOUBLE);
        return all.get(NDArrayIndex.interval(0, n)).toDoubleMatrix();
    }

    /** Mean log N(x; 0, I) over 2-D points. */
    private static double standardNormalLogDensity(double[][] points) {
        double sum = 0;
        for (double[] x : points) sum += -Math.log(2 * Math.PI) - 0.5 * (x[0] * x[0] + x[1] * x[1]);
        return sum / points.length;
    }

    @Test
    void aDryRunMakesEachObjectOnceToCheckTheExperiment() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        countedPluginJar(plugins.resolve("counted.jar"));
        Path log = dir.resolve("calls.txt");
        Path file = Files.writeString(dir.resolve("v.groovy"), """
                experiment('v') {
                    data 'counted_normal', log: '%1$s'
                    sde 'counted_vp', log: '%1$s'
                    model 'counted_standard_normal', log: '%1$s'
                    sample { predictor 'counted_euler_maruyama', log: '%1$s'; steps 5; n 4 }
                }
                """.formatted(log.toString().replace("\\", "\\\\")));
        assertThat(Sdex.run(dir, "run", file.toString(), "--plugins", plugins.toString(), "--dry-run").code()).isZero();
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("open train", "sde", "model", "predictor");
    }

    /** The counted plugins' classes, from the test classes, in a jar with their service files. */
    private static void countedPluginJar(Path jar) throws IOException {
        Path classes = Path.of(CountedNormalPlugin.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path pkg = classes.resolve(CountedNormalPlugin.class.getPackageName().replace('.', '/'));
        Map<String, Class<?>> services = Map.of(
                "org.sdex.spi.data.DatasetPlugin", CountedNormalPlugin.class,
                "org.sdex.spi.sde.SdePlugin", CountedVpPlugin.class,
                "org.sdex.spi.model.ModelPlugin", CountedStandardNormalScorePlugin.class,
                "org.sdex.spi.sampling.PredictorPlugin", CountedEulerMaruyamaPlugin.class,
                "org.sdex.spi.sampling.OdeSolverPlugin", CountedEulerOdePlugin.class);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
             Stream<Path> files = Files.list(pkg)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            for (Map.Entry<String, Class<?>> e : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
                out.write(e.getValue().getName().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> all = s.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
