package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdex bench network --threads}: one count or a list, and nothing else; only the network benchmark takes a list. */
class BenchNetworkThreadsTest {
    @TempDir Path dir;

    @Test
    void aListNamesEachCountOnceInOrder() {
        assertThat(NetworkBenchRun.threadCounts("1,2", Map.of())).containsExactly(1, 2);
        assertThat(NetworkBenchRun.threadCounts("2,1,2", Map.of())).containsExactly(2, 1);
        assertThat(NetworkBenchRun.threadCounts(null, Map.of("OMP_NUM_THREADS", "3"))).isEqualTo(List.of(3));
        assertThatThrownBy(() -> NetworkBenchRun.threadCounts("1,0", Map.of())).isInstanceOf(UsageException.class)
                .hasMessage("--threads must be an integer >= 1 or a list such as 1,2, got '1,0'");
    }

    @Test
    void badListsAndListsForOtherBenchmarksAreOneLine() {
        Sdex.Result bad = Sdex.run(dir, "bench", "network", "--threads", "1,x");
        assertThat(bad.code()).isEqualTo(64);
        assertThat(bad.err()).startsWith("error: sdex bench: --threads must be an integer >= 1 or a list such as 1,2, got '1,x'");
        Sdex.Result other = Sdex.run(dir, "bench", "samplers", "--threads", "1,2");
        assertThat(other.code()).isEqualTo(64);
        assertThat(other.err()).startsWith("error: sdex bench: --threads takes a list only for bench network");
        Sdex.Result run = Sdex.run(dir, "run", "x.groovy", "--threads", "1,2");
        assertThat(run.code()).isEqualTo(64);
        assertThat(run.err()).startsWith("error: sdex run: --threads must be an integer >= 1, got '1,2'");
    }
}
