package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.run.RunDirectory;

/**
 * A run directory has one owner and one experiment: --resume refuses another experiment before
 * writing anything, a second process is refused while the first holds the directory, and inputs
 * checked at run time (--points) fail before a run directory exists.
 */
class RunOwnershipTest {
    @TempDir Path dir;

    private Sdex.Result sdex(String... args) { return Sdex.run(dir, Map.of(), args); }

    private static final String TINY = """
            experiment('tiny') {
                seed 1
                data '%s'
                sde '%s'
                model 'mlp', hidden: [8]
                train { steps 2; batchSize 16; checkpointEvery 1; lr %s }
                sample { n 10; steps 2; plot false }
            }
            """;

    private Path tinyRun() throws IOException {
        Path script = Files.writeString(dir.resolve("tiny.groovy"), TINY.formatted("checkerboard", "vp", "2e-3"));
        Sdex.Result r = sdex("run", script.toString(), "--out", dir.resolve("runs").toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            return runs.findFirst().orElseThrow();
        }
    }

    @Test
    void resumingWithAnotherExperimentIsRefusedAndWritesNothing() throws IOException {
        Path run = tinyRun();
        byte[] config = Files.readAllBytes(run.resolve("config.json"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));

        Path other = Files.writeString(dir.resolve("other.groovy"), TINY.formatted("moons", "subvp", "2e-3"));
        Sdex.Result r = sdex("run", other.toString(), "--resume", run.toString(), "--no-progress");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: --resume " + run + ": this experiment differs from the run's in data: 'checkerboard' "
                + "in the run, 'moons' now (seed, data, SDE, model and training must match; sampling may change); "
                + "pass --resume-changed to resume it anyway");
        Path lr = Files.writeString(dir.resolve("lr.groovy"), TINY.formatted("checkerboard", "vp", "1e-3"));
        assertThat(sdex("run", lr.toString(), "--resume", run.toString(), "--no-progress").err())
                .contains("differs from the run's in train.lr: 0.002 in the run, 0.001 now");
        assertThat(Files.readAllBytes(run.resolve("config.json"))).isEqualTo(config);
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(metrics);

        // sampling may change, and --resume-changed accepts the rest
        Path sampling = Files.writeString(dir.resolve("tiny.groovy"), TINY.formatted("checkerboard", "vp", "2e-3").replace("n 10", "n 20"));
        assertThat(sdex("run", sampling.toString(), "--resume", run.toString(), "--no-progress").code()).isZero();
        assertThat(sdex("run", lr.toString(), "--resume", run.toString(), "--resume-changed", "--no-progress").code()).isZero();
    }

    @Test
    void aRunFromAnEarlierSdexResumesWhereItsMissingSettingsAreNowAtTheirDefaults() throws IOException {
        Path run = tinyRun();
        // as a config.json written before the model's 'classes' and the train block's 'labelDropout' existed
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(run.resolve("config.json").toFile());
        var modelParams = (com.fasterxml.jackson.databind.node.ObjectNode) config.path("model").path("params");
        assertThat(modelParams.remove("classes")).isNotNull();
        assertThat(((com.fasterxml.jackson.databind.node.ObjectNode) config.path("train")).remove("labelDropout")).isNotNull();
        json.writeValue(run.resolve("config.json").toFile(), config);
        Sdex.Result r = sdex("run", dir.resolve("tiny.groovy").toString(), "--resume", run.toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();

        // a setting the run did not have, now away from its default, is a difference
        modelParams.remove("inputScale");
        json.writeValue(run.resolve("config.json").toFile(), config);
        Path scaled = Files.writeString(dir.resolve("scaled.groovy"), TINY.formatted("checkerboard", "vp", "2e-3")
                .replace("model 'mlp', hidden: [8]", "model 'mlp', hidden: [8], inputScale: 2.0"));
        assertThat(sdex("run", scaled.toString(), "--resume", run.toString(), "--no-progress").err())
                .contains("differs from the run's in model.params.inputScale: nothing in the run, 2.0 now");
    }

    @Test
    void aSecondProcessIsRefusedWhileTheRunDirectoryIsHeld() throws IOException {
        Path run = tinyRun();
        Path script = dir.resolve("tiny.groovy");
        // the lock is held through another channel, as another process would hold it
        try (var held = java.nio.channels.FileChannel.open(run.resolve(".lock"), java.nio.file.StandardOpenOption.WRITE);
             var lock = held.lock()) {
            Files.writeString(run.resolve(".lock"), "4242\n");
            Sdex.Result r = sdex("run", script.toString(), "--resume", run.toString(), "--no-progress");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("error: run directory " + run + " is in use by sdex process 4242; one process at a time may write a run");
        }
        assertThat(sdex("run", script.toString(), "--resume", run.toString(), "--no-progress").code()).isZero();
        assertThat(Files.readString(run.resolve(".lock")).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        try (RunDirectory.Lock mine = RunDirectory.existing(run).lock()) {
            assertThat(mine).isNotNull(); // released when the run ended
        }
    }

    @Test
    void badPointsFailBeforeARunDirectoryExists() throws IOException {
        Path script = Files.writeString(dir.resolve("gmm.groovy"), """
                experiment('gmm') {
                    data 'gmm'
                    sde 'vp'
                    model 'exact'
                    likelihood { n 4; trace 'exact' }
                }
                """);
        Path points = dir.resolve("points.npy");
        // a header claiming 1,000,000 x 2 doubles over a 100-byte body
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 2), }";
        header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(new byte[100]);
        Files.write(points, b.toByteArray());
        Path out = dir.resolve("runs-points");
        Sdex.Result r = sdex("run", script.toString(), "--out", out.toString(), "--no-progress", "--points", points.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: not a valid .npy file: " + points + ": the header's shape [1000000, 2] of 8-byte values "
                + "needs 16000000 bytes of data, the file has 100 (truncated or not what it claims)");
        assertThat(out).doesNotExist();
    }
}
