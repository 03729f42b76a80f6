package org.sdex.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.SdexException;
import org.sdex.core.train.Fixtures;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.core.train.Trainer;
import org.sdex.core.train.TrainingState;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.sde.Sde;
import org.slf4j.LoggerFactory;

/** Checkpoints: exact round trip, damage detection with fallback, format and architecture checks. */
class CheckpointStoreTest {
    static { Fixtures.quietNd4j(); }

    static final Sde SDE = new VpSde(0.1, 20);
    static final Fixtures.MixtureData DATA = new Fixtures.MixtureData(Fixtures.GAUSSIAN_2D, DataType.FLOAT);

    @TempDir Path dir;
    ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void captureWarnings() {
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(CheckpointStore.class)).addAppender(logged);
        ((Logger) LoggerFactory.getLogger(Checkpoint.class)).addAppender(logged);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(CheckpointStore.class)).detachAppender(logged);
        ((Logger) LoggerFactory.getLogger(Checkpoint.class)).detachAppender(logged);
    }

    static ScoreNetwork network(List<Integer> hidden) {
        return new ScoreNetwork(Fixtures.mlp(SDE, DATA, DataType.FLOAT, 1, hidden, "embeddingDim", 8), DATA.shape(), DataType.FLOAT, true);
    }

    static TrainSettings settings(int steps, int keep) {
        return Fixtures.settings("steps", steps, "batchSize", 16, "checkpointEvery", 10, "keepCheckpoints", keep, "lr", 1e-3);
    }

    /** Trains a small network for {@code steps} steps with a checkpoint every 10; returns the final state. */
    TrainingState train(ScoreNetwork net, int steps, int keep) {
        Trainer t = new Trainer(net, SDE, DATA, settings(steps, keep));
        TrainingState state = t.initialState();
        t.train(state, new CheckpointStore(dir, keep), (step, loss, lr, norm) -> {});
        return state;
    }

    @Test
    void roundTripIsExact() {
        ScoreNetwork net = network(List.of(8));
        TrainingState state = train(net, 20, 3);
        Checkpoint c = CheckpointStore.load(dir.resolve("ckpt-20.sdex"));
        assertThat(c.step()).isEqualTo(20);
        assertThat(c.rngState()).containsExactly(state.rng().state());
        assertThat(c.adamSteps()).isEqualTo(20);
        assertThat(c.emaUpdates()).isEqualTo(20);
        assertThat(c.metadata().get("settingsDigest").asText()).hasSize(16);
        assertThat(c.metadata().get("weightShapes").get("mlp/h0/w").toString()).isEqualTo("[10,8]");
        for (String w : net.weightNames()) {
            assertThat(c.weights().get(w)).isEqualTo(net.weights().get(w));
            assertThat(c.emaWeights().get(w)).isEqualTo(state.ema().weights().get(w));
            assertThat(c.adamFirstMoments().get(w)).isEqualTo(state.adam().firstMoments().get(w));
            assertThat(c.adamSecondMoments().get(w)).isEqualTo(state.adam().secondMoments().get(w));
        }

        ScoreNetwork other = network(List.of(8));
        Trainer t = new Trainer(other, SDE, DATA, settings(20, 3));
        TrainingState fresh = t.initialState();
        c.restoreInto(other, fresh);
        assertThat(fresh.step()).isEqualTo(20);
        assertThat(fresh.rng().state()).containsExactly(state.rng().state());
        for (String w : net.weightNames()) assertThat(other.weights().get(w)).isEqualTo(net.weights().get(w));
    }

    @Test
    void keepsTheNewestAndLeavesNoTemporaryFiles() throws IOException {
        train(network(List.of(8)), 50, 2);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("ckpt-40.sdex", "ckpt-50.sdex");
        }
    }

    @Test
    void aFlippedByteInTheNewestFallsBackToThePreviousWithAWarning() throws IOException {
        train(network(List.of(8)), 30, 3);
        Path newest = dir.resolve("ckpt-30.sdex");
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 0x10;
        Files.write(newest, b);

        assertThatThrownBy(() -> CheckpointStore.load(newest)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(newest.toString()).hasMessageContaining("checksum mismatch")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        CheckpointStore store = new CheckpointStore(dir, 3);
        assertThat(store.latestValid()).get().extracting(Checkpoint::step).isEqualTo(20);
        assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("ckpt-30.sdex").contains("checksum mismatch").contains("falling back"));
    }

    @Test
    void aTruncatedNewestFallsBackToThePrevious() throws IOException {
        train(network(List.of(8)), 30, 3);
        Path newest = dir.resolve("ckpt-30.sdex");
        byte[] b = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(b, b.length - 100));
        Files.write(dir.resolve("ckpt-20.sdex"), Arrays.copyOf(b, 10));

        CheckpointStore store = new CheckpointStore(dir, 3);
        ScoreNetwork net = network(List.of(8));
        TrainingState state = new Trainer(net, SDE, DATA, settings(30, 3)).initialState();
        assertThat(store.restoreLatest(net, state)).contains(10);
        assertThat(state.step()).isEqualTo(10);
        assertThat(logged.list).filteredOn(e -> e.getLevel().toString().equals("WARN")).hasSize(2);
        assertThatThrownBy(() -> CheckpointStore.load(dir.resolve("ckpt-20.sdex"))).hasMessageContaining("too short");
    }

    @Test
    void noUsableCheckpointAtAllIsAnError() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("ckpt-10.sdex"), "hello, not a checkpoint at all".getBytes());
        assertThatThrownBy(() -> CheckpointStore.load(dir.resolve("ckpt-10.sdex"))).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> new CheckpointStore(dir, 3).latestValid()).isInstanceOf(SdexException.class)
                .hasMessageContaining("no usable checkpoint").hasMessageContaining("ckpt-10.sdex");
        assertThat(new CheckpointStore(dir.resolve("none"), 3).latestValid()).isEmpty();
    }

    @Test
    void anotherFormatVersionIsRefusedByName() throws IOException {
        train(network(List.of(8)), 10, 3);
        Path f = dir.resolve("ckpt-10.sdex");
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).putInt(8, 2);
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        Files.write(f, b);
        assertThatThrownBy(() -> CheckpointStore.load(f)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("format version 2").hasMessageContaining("reads version 1");
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsAClearError() {
        train(network(List.of(8)), 10, 3);
        CheckpointStore store = new CheckpointStore(dir, 3);
        for (List<Integer> hidden : List.of(List.of(12), List.of(8, 8))) {
            ScoreNetwork other = network(hidden);
            TrainingState state = new Trainer(other, SDE, DATA, settings(10, 3)).initialState();
            assertThatThrownBy(() -> store.restoreLatest(other, state)).isInstanceOf(SdexException.class)
                    .isNotInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("ckpt-10.sdex").hasMessageContaining("does not fit this model")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(state.step()).isZero();
        }
    }

    @Test
    void changedSettingsOnlyWarn() {
        ScoreNetwork net = network(List.of(8));
        train(net, 10, 3);
        TrainSettings changed = Fixtures.settings("steps", 99, "batchSize", 16, "checkpointEvery", 10, "lr", 5e-3);
        TrainingState state = new Trainer(net, SDE, DATA, changed).initialState();
        assertThat(new CheckpointStore(dir, 3).restoreLatest(net, state)).contains(10);
        // steps is bookkeeping; lr changes the loss sequence
        assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("different training settings (lr 0.001 -> 0.005)"));
    }

    @Test
    void aSettingNewerThanTheCheckpointAtItsDefaultIsNoDifference() throws IOException {
        // a checkpoint as an sdex before labelDropout wrote it: no such setting, and a digest of the settings without it
        train(network(List.of(8)), 10, 3);
        Path f = dir.resolve("ckpt-10.sdex");
        byte[] b = Files.readAllBytes(f);
        String text = new String(b, StandardCharsets.ISO_8859_1);
        String setting = "\"labelDropout\":0.1,";
        String digest = CheckpointStore.load(f).metadata().get("settingsDigest").asText();
        assertThat(text).contains(setting).contains(digest);
        text = text.replace(setting, " ".repeat(setting.length())).replace(digest, "0".repeat(digest.length()));
        b = text.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        Files.write(f, b);
        assertThat(CheckpointStore.load(f).metadata().get("settings").has("labelDropout")).isFalse();

        ScoreNetwork net = network(List.of(8));
        assertThat(new CheckpointStore(dir, 3).restoreLatest(net, new Trainer(net, SDE, DATA, settings(10, 3)).initialState())).contains(10);
        assertThat(logged.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("different training settings"));
        // the negative control: a setting that did change is still named, and labelDropout (unconditional) is not
        TrainSettings changed = Fixtures.settings("steps", 10, "batchSize", 16, "checkpointEvery", 10, "lr", 5e-3);
        new CheckpointStore(dir, 3).restoreLatest(net, new Trainer(net, SDE, DATA, changed).initialState());
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("different training settings")).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("(lr 0.001 -> 0.005)"));
    }

    @Test
    void labelDropoutIsComparedForClassConditionalModelsOnlyAndAnAbsentSettingAsItsDefault() {
        var saved = CheckpointFormat.JSON.valueToTree(Fixtures.settings("lr", 1e-3));
        ((com.fasterxml.jackson.databind.node.ObjectNode) saved).remove("labelDropout");
        assertThat(CheckpointStore.settingsDiff(saved, Fixtures.settings("lr", 1e-3), true)).isNull();
        assertThat(CheckpointStore.settingsDiff(saved, Fixtures.settings("lr", 1e-3, "labelDropout", 0.3), true))
                .isEqualTo("labelDropout 0.1 -> 0.3");
        assertThat(CheckpointStore.settingsDiff(saved, Fixtures.settings("lr", 1e-3, "labelDropout", 0.3), false)).isNull();
        assertThat(CheckpointStore.settingsDiff(saved, Fixtures.settings("lr", 2e-3), false)).isEqualTo("lr 0.001 -> 0.002");
        assertThat(CheckpointStore.settingsDiff(null, Fixtures.settings("lr", 1e-3), false)).isEqualTo("unknown");
    }
}
