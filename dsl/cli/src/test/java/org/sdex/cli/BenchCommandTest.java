package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regenerating a report keeps the hand-written text around the generated part. */
class BenchCommandTest {
    @Test
    void onlyTheTextBetweenTheMarkersIsReplaced(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("performance.md");
        assertThat(BenchCommand.spliced(doc, "network", "| new |\n")).isEqualTo("| new |\n");

        Files.writeString(doc, "# Notes\nbefore\n" + BenchCommand.begin("network") + "\n| old |\n" + BenchCommand.end("network") + "\n"
                + BenchCommand.begin("overhead") + "\nkept\n" + BenchCommand.end("overhead") + "\nafter\n");
        assertThat(BenchCommand.spliced(doc, "network", "| new |\n"))
                .isEqualTo("# Notes\nbefore\n" + BenchCommand.begin("network") + "\n| new |\n" + BenchCommand.end("network") + "\n"
                        + BenchCommand.begin("overhead") + "\nkept\n" + BenchCommand.end("overhead") + "\nafter\n");

        Files.writeString(doc, "no markers\n");
        assertThat(BenchCommand.spliced(doc, "network", "| new |\n")).isEqualTo("| new |\n");
    }
}
