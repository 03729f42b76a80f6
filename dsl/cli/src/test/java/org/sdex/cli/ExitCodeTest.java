package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.error.ComputeFailure;
import org.sdex.core.error.SdexException;

/** Each row of the exit-code table in docs/security.md. */
class ExitCodeTest {
    @TempDir Path dir;

    @Test
    void eachKindOfFailureHasItsCode() {
        assertThat(Main.exitCode(new ConfigException(new SourceLocation("x.groovy", 3), "bad"))).isEqualTo(2);
        assertThat(Main.exitCode(new SdexException("no such experiment script: x.groovy"))).isEqualTo(2);
        assertThat(Main.exitCode(new ComputeFailure("training diverged at step 7"))).isEqualTo(3);
        // disk full while writing a checkpoint, and while writing any other output
        assertThat(Main.exitCode(new SdexException("cannot write checkpoint c: No space left on device",
                new IOException("No space left on device")))).isEqualTo(4);
        assertThat(Main.exitCode(new UncheckedIOException(new IOException("No space left on device")))).isEqualTo(4);
        assertThat(Main.exitCode(new IllegalStateException("a bug"))).isEqualTo(1);
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsAnIoFailure() throws IOException {
        Path script = Files.writeString(dir.resolve("gmm.groovy"), """
                experiment('gmm') { data 'gmm'; sde 'vp'; model 'exact'; sample { n 10; steps 2; plot false } }
                """);
        Path blocker = Files.writeString(dir.resolve("file"), "not a folder");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"run", script.toString(), "--out", blocker.resolve("runs").toString(), "--no-progress"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir);
        assertThat(code).isEqualTo(4);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: cannot create run directory under " + blocker.resolve("runs"))
                .doesNotContain("\n");
    }

    @Test
    void usageAndSuccess() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertThat(Main.execute(new String[] {"frobnicate"}, quiet, quiet, Map.of(), dir)).isEqualTo(64);
        assertThat(Main.execute(new String[] {"--version"}, quiet, quiet, Map.of(), dir)).isZero();
    }
}
