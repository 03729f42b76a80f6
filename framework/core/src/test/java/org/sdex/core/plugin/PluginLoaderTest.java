package org.sdex.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.error.SdexException;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.SdePlugin;

class PluginLoaderTest {
    private static final String SDE_SERVICE = "org.sdex.spi.sde.SdePlugin";

    @TempDir
    Path work;

    @Test
    void builtInsAreFoundOnTheClassPath() {
        PluginRegistry r = PluginLoader.load(List.of());
        assertThat(r.names(PluginKind.SDE)).contains("ve", "vp", "subvp");
        assertThat(r.names(PluginKind.PREDICTOR)).contains("euler_maruyama", "none");
        assertThat(r.get(PluginKind.SDE, "vp").source()).isEqualTo("built-in");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aJarDroppedIntoAPluginFolderIsPickedUpInItsOwnClassLoader() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugins.d"));
        Path jar = PluginJars.build(work, "ou-sde", Map.of("com.example.ou.ConstantSdePlugin",
                PluginJars.sdeSource("com.example.ou", "ou")), Map.of(SDE_SERVICE, List.of("com.example.ou.ConstantSdePlugin")));
        Files.move(jar, dir.resolve("ou-sde.jar"));

        PluginRegistry r = PluginLoader.load(List.of(dir));
        PluginRegistry.Entry e = r.get(PluginKind.SDE, "ou");
        assertThat(e.source()).endsWith("ou-sde.jar");
        assertThat(e.plugin().version()).isEqualTo("0.3");
        Sde sde = ((SdePlugin) e.plugin()).create(Params.of(e.plugin(), Map.of("beta", 4.0)));
        assertThat(sde.meanScale(0.5)).isCloseTo(Math.exp(-1.0), org.assertj.core.data.Offset.offset(1e-12));

        ClassLoader loader = e.plugin().getClass().getClassLoader();
        assertThat(loader).isNotSameAs(PluginLoader.class.getClassLoader());
        // the plugin shares the SPI's classes with the kernel ...
        assertThat(loader.loadClass("org.sdex.spi.sde.Sde")).isSameAs(Sde.class);
        // ... and sees nothing else of sdex
        assertThatThrownBy(() -> loader.loadClass("org.sdex.core.plugin.PluginRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(r.get(PluginKind.SDE, "vp").source()).isEqualTo("built-in");
    }

    @Test
    void aBrokenJarIsReportedAndTheOthersStillLoad() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugins.d"));
        Path good = PluginJars.build(work, "good", Map.of("com.example.good.ConstantSdePlugin",
                PluginJars.sdeSource("com.example.good", "good_sde")), Map.of(SDE_SERVICE, List.of("com.example.good.ConstantSdePlugin")));
        Files.move(good, dir.resolve("b-good.jar"));
        // names a provider class the jar does not contain
        Path broken = PluginJars.build(work, "broken", Map.of(), Map.of(SDE_SERVICE, List.of("com.example.Missing")));
        Files.move(broken, dir.resolve("a-broken.jar"));
        Files.writeString(dir.resolve("c-garbage.jar"), "not a zip file");

        PluginRegistry r = PluginLoader.load(List.of(dir));
        assertThat(r.has(PluginKind.SDE, "good_sde")).isTrue();
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("a-broken.jar").contains("com.example.Missing"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("c-garbage.jar"));
    }

    @Test
    void twoPluginsWithOneNameNameBothJars() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugins.d"));
        for (String j : List.of("one", "two")) {
            Path jar = PluginJars.build(work, j, Map.of("com.example." + j + ".ConstantSdePlugin",
                    PluginJars.sdeSource("com.example." + j, "twin")), Map.of(SDE_SERVICE, List.of("com.example." + j + ".ConstantSdePlugin")));
            Files.move(jar, dir.resolve(j + ".jar"));
        }
        PluginRegistry r = PluginLoader.load(List.of(dir));
        assertThatThrownBy(() -> r.get(PluginKind.SDE, "twin"))
                .isInstanceOf(SdexException.class)
                .hasMessageContaining("one.jar").hasMessageContaining("two.jar");
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("twin"));
    }

    @Test
    void anUnknownNameListsWhatIsAvailable() {
        PluginRegistry r = PluginLoader.load(List.of());
        assertThatThrownBy(() -> r.get(PluginKind.PREDICTOR, "eular"))
                .hasMessageStartingWith("No predictor 'eular'. Available: ")
                .hasMessageContaining("euler_maruyama");
    }

    @Test
    void aFileThatIsNoJarIsCalledSo() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugins.d"));
        Files.writeString(dir.resolve("garbage.jar"), "not a zip file");
        PluginRegistry r = PluginLoader.load(List.of(dir));
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p)
                .startsWith("plugin file " + dir.resolve("garbage.jar") + " is not a jar (").endsWith("); skipped"));
    }

    @Test
    void aMissingFirstProviderDoesNotDropTheOthers() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugins.d"));
        Path jar = PluginJars.build(work, "mixed", Map.of("com.example.m.ConstantSdePlugin", PluginJars.sdeSource("com.example.m", "after_missing")),
                Map.of(SDE_SERVICE, List.of("com.example.Missing", "com.example.m.ConstantSdePlugin")));
        Files.move(jar, dir.resolve("mixed.jar"));
        PluginRegistry r = PluginLoader.load(List.of(dir));
        assertThat(r.has(PluginKind.SDE, "after_missing")).isTrue();
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p).contains("mixed.jar").contains("com.example.Missing"));
    }

    @Test
    void theWorkingDirectorysPluginsFolderIsNotADefault() {
        Path home = Path.of("/home/someone");
        assertThat(PluginLoader.defaultDirs(home, null)).containsExactly(home.resolve(".sdex/plugins"));
        assertThat(PluginLoader.defaultDirs(home, Path.of("/opt/sdex")))
                .containsExactly(Path.of("/opt/sdex/plugins.d"), home.resolve(".sdex/plugins"));
        assertThat(PluginLoader.defaultDirs()).noneMatch(p -> !p.isAbsolute());
    }
}
