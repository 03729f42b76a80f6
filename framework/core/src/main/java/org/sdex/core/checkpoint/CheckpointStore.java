package org.sdex.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.config.TrainSettings;
import org.sdex.core.error.SdexException;
import org.sdex.core.train.Adam;
import org.sdex.core.train.Ema;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.core.train.TrainingState;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.random.Rng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run, {@code ckpt-<step>.sdex} in one folder (normally
 * {@code <run>/checkpoints}). Each holds the weights, their EMA, Adam's moments, the step and the
 * random stream's state (layout: {@link CheckpointFormat}). A file is written under a temporary
 * name in the same folder, forced to disk and atomically renamed, so a crash leaves the previous
 * set intact; only the newest {@code keep} are kept. On loading, magic, version, checksum and
 * shapes are verified, and a damaged newest file falls back to the one before it.
 */
public final class CheckpointStore {
    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d+)\\.sdex");
    private static final Pattern TEMP = Pattern.compile("\\.ckpt-.*\\.tmp");
    /** Settings that change neither the model nor the loss sequence up to a step. */
    private static final Set<String> BOOKKEEPING = Set.of("steps", "checkpointEvery", "keepCheckpoints", "logEvery");
    /** Settings that only class-conditional training reads. */
    private static final Set<String> CLASS_CONDITIONAL = Set.of("labelDropout");

    private final Path dir;
    private final int keep;

    public CheckpointStore(Path dir, int keep) {
        this.dir = dir;
        this.keep = Math.max(1, keep);
    }

    public Path dir() { return dir; }

    /** Where the checkpoint of a step lives. */
    public Path fileFor(int step) { return dir.resolve("ckpt-" + step + ".sdex"); }

    /** Writes the network and training state at the state's step, then deletes all but the newest {@code keep}. */
    public Path write(ScoreNetwork net, TrainingState state) {
        return write(state.step(), state.rng(), net.weights(), state.ema(), state.adam(), metadata(net, state));
    }

    /**
     * Writes the checkpoint of any network trained with Adam and an EMA (a score network, a
     * classifier) at {@code step}: its weights, their average and Adam's moments, grouped as
     * {@link Checkpoint} reads them, the step and random stream, and the metadata {@code extra}
     * (the network's description). Then deletes all but the newest {@code keep}.
     */
    public Path write(int step, Rng rng, Map<String, INDArray> weights, Ema ema, Adam adam, ObjectNode extra) {
        Path target = fileFor(step);
        try {
            Files.createDirectories(dir);
            removeStaleTemporaries();
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            put(arrays, Checkpoint.WEIGHTS, weights);
            put(arrays, Checkpoint.EMA, ema.weights());
            put(arrays, Checkpoint.ADAM_M, adam.firstMoments());
            put(arrays, Checkpoint.ADAM_V, adam.secondMoments());
            ObjectNode meta = CheckpointFormat.JSON.createObjectNode();
            meta.put("step", step);
            long[] state = rng.state();
            meta.putArray("rng").add(state[0]).add(state[1]);
            meta.put("adamSteps", adam.steps());
            meta.put("emaUpdates", ema.updates());
            meta.setAll(extra);

            Path tmp = org.sdex.core.run.RunDirectory.newTempFile(dir, ".ckpt-" + step + "-");
            try {
                try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                    CheckpointFormat.write(out, meta, arrays);
                    out.getFD().sync();
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            syncDirectory();
            prune();
            return target;
        } catch (IOException e) {
            throw new SdexException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    private static void put(Map<String, INDArray> arrays, String group, Map<String, INDArray> values) {
        values.forEach((k, v) -> arrays.put(group + "/" + k, v));
    }

    /** What a score network's checkpoint says about the network and its training settings. */
    private static ObjectNode metadata(ScoreNetwork net, TrainingState state) {
        ObjectNode meta = CheckpointFormat.JSON.createObjectNode();
        meta.put("dataType", net.dataType().name());
        ArrayNode shape = meta.putArray("exampleShape");
        for (long s : net.exampleShape()) shape.add(s);
        meta.put("parameters", net.parameterCount());
        ObjectNode w = meta.putObject("weightShapes");
        net.weights().forEach((k, v) -> {
            ArrayNode a = w.putArray(k);
            for (long s : v.shape()) a.add(s);
        });
        if (state.settings() != null) {
            meta.set("settings", CheckpointFormat.JSON.valueToTree(state.settings()));
            meta.put("settingsDigest", digest(state.settings()));
        }
        meta.put("written", Instant.now().toString());
        return meta;
    }

    /** Checkpoint files, newest step first. */
    public List<Path> files() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(step(b), step(a)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Step of the newest checkpoint file (not verified). */
    public Optional<Integer> latestStep() {
        List<Path> f = files();
        return f.isEmpty() ? Optional.empty() : Optional.of((int) step(f.get(0)));
    }

    /**
     * Reads and verifies one checkpoint file.
     *
     * @throws CorruptCheckpointException (a one-line {@link SdexException} naming the file) when it is
     *                                    not a checkpoint, of another format version, damaged or truncated
     */
    public static Checkpoint load(Path file) {
        return Checkpoint.of(file, CheckpointFormat.read(file));
    }

    /**
     * The newest checkpoint that verifies. A damaged one is skipped with a warning naming it, and
     * the one before it is used; empty when there are no checkpoints.
     *
     * @throws SdexException when there are checkpoint files but none of them verifies
     */
    public Optional<Checkpoint> latestValid() {
        List<Path> files = files();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                return Optional.of(load(f));
            } catch (CorruptCheckpointException e) {
                log.warn("{}; falling back to the previous checkpoint", e.getMessage());
                problems.add(e.getMessage());
            }
        }
        if (!files.isEmpty()) {
            throw new SdexException("no usable checkpoint in " + dir + ": " + String.join("; ", problems));
        }
        return Optional.empty();
    }

    /**
     * Restores the newest valid checkpoint into the network and state (see
     * {@link Checkpoint#restoreInto}) and returns its step; empty (state untouched) when there is
     * none. A checkpoint that verifies but does not fit the network is an error, not skipped.
     */
    public Optional<Integer> restoreLatest(ScoreNetwork net, TrainingState state) {
        return latestValid().map(c -> {
            c.restoreInto(net, state);
            log.info("restored {} (step {})", c.file(), c.step());
            return c.step();
        });
    }

    private void prune() throws IOException {
        List<Path> f = files();
        for (int i = keep; i < f.size(); i++) Files.deleteIfExists(f.get(i));
    }

    /** Temporary files left by a crash in the middle of a write. */
    private void removeStaleTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Iterator<Path> it = s.iterator(); it.hasNext(); ) {
                Path p = it.next();
                if (TEMP.matcher(p.getFileName().toString()).matches()) Files.deleteIfExists(p);
            }
        }
    }

    /** Makes the rename itself durable; not every file system allows opening a directory, which is fine. */
    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }

    private static long step(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A short hash of the settings that shape the model and the loss sequence. */
    static String digest(TrainSettings settings) {
        ObjectNode n = relevant(CheckpointFormat.JSON.valueToTree(settings));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(n.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * "lr 2.0E-4 -> 0.001, seed 0 -> 1": the relevant settings that differ, or null when none does. A
     * setting the checkpoint lacks (written by an sdex that did not know it) was trained with its
     * default's behaviour, so it counts as its default; label dropout is no setting of an
     * unconditional model, whatever its value.
     */
    static String settingsDiff(JsonNode saved, TrainSettings now, boolean classConditional) {
        if (saved == null || !saved.isObject()) return "unknown";
        ObjectNode a = relevant((ObjectNode) saved);
        ObjectNode b = relevant(CheckpointFormat.JSON.valueToTree(now));
        if (!classConditional) b.remove(CLASS_CONDITIONAL);
        List<String> diffs = new ArrayList<>();
        b.fieldNames().forEachRemaining(k -> {
            org.sdex.spi.Param declared = Vocabulary.TRAIN.setting(k);
            JsonNode before = a.has(k) ? a.get(k) : declared == null ? null : CheckpointFormat.JSON.valueToTree(declared.defaultValue());
            if (before == null || !same(before, b.get(k))) diffs.add(k + " " + (before == null ? "nothing" : before) + " -> " + b.get(k));
        });
        return diffs.isEmpty() ? null : String.join(", ", diffs);
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.doubleValue() == b.doubleValue() : a.equals(b);
    }

    private static ObjectNode relevant(ObjectNode settings) {
        ObjectNode n = settings.deepCopy();
        n.remove(BOOKKEEPING);
        return n;
    }
}
