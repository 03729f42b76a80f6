package org.sdex.core.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.RunDirectory;

/**
 * The folder of one sweep: {@code sweep.json} (the points), a copy of the script, one run folder
 * per point ({@code 003-ddim-20/}, an ordinary run directory plus {@code task.json}), {@code logs/}
 * and what the executors write ({@code slurm/}, {@code k8s/}). It lives on a filesystem every task
 * sees; tasks coordinate only through it.
 */
public final class SweepDirectory {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String MANIFEST = "sweep.json";
    static final String STATE = "task.json";

    private final Path dir;
    private final SweepManifest manifest;

    private SweepDirectory(Path dir, SweepManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * The sweep directory for {@code manifest}: made (with a copy of the script) when new; when it
     * exists it must hold the same sweep, so a resubmission only adds the unfinished points.
     */
    public static SweepDirectory prepare(Path dir, SweepManifest manifest, String scriptSource) {
        Path file = dir.resolve(MANIFEST);
        if (Files.exists(file)) {
            SweepManifest old = read(dir);
            if (!old.experiment().equals(manifest.experiment()) || !old.script().equals(manifest.script())) {
                throw new SdexException(dir + " holds the sweep of " + old.script() + " (experiment '" + old.experiment()
                        + "'), not of " + manifest.script() + "; choose another --dir");
            }
            if (!old.scriptSha256().equals(manifest.scriptSha256())) {
                throw new SdexException(dir + " holds a sweep of an earlier version of " + old.script()
                        + "; choose another --dir (its points would mix two experiments)");
            }
            if (!old.equals(manifest)) {
                throw new SdexException(dir + " holds a sweep of other points (" + old.points().size()
                        + " points, --set " + old.sets() + "); choose another --dir");
            }
            return new SweepDirectory(dir, old);
        }
        RunDirectory.writeAtomically(dir.resolve(manifest.script()), tmp -> Files.writeString(tmp, scriptSource));
        RunDirectory.writeAtomically(file, tmp -> JSON.writeValue(tmp.toFile(), manifest));
        return new SweepDirectory(dir, manifest);
    }

    /** An existing sweep directory. */
    public static SweepDirectory open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new SdexException(dir + " is not a sweep directory (no " + MANIFEST + "); sdex sweep FILE --dir " + dir + " makes one");
        }
        return new SweepDirectory(dir, read(dir));
    }

    private static SweepManifest read(Path dir) {
        try {
            return JSON.readValue(dir.resolve(MANIFEST).toFile(), SweepManifest.class);
        } catch (IOException e) {
            throw new SdexException("cannot read " + dir.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path path() { return dir; }

    public SweepManifest manifest() { return manifest; }

    public List<SweepPoint> points() { return manifest.points(); }

    /** The copy of the script the tasks run. */
    public Path script() { return dir.resolve(manifest.script()); }

    public Path logs() { return dir.resolve("logs"); }

    /** The point with this index; a clear message for an index outside the sweep. */
    public SweepPoint point(int index) {
        if (index < 0 || index >= manifest.points().size()) {
            throw new SdexException("sweep " + dir + " has points 0 to " + (manifest.points().size() - 1) + "; there is no point " + index);
        }
        return manifest.points().get(index);
    }

    public Path pointDir(SweepPoint p) { return dir.resolve(p.folder()); }

    /** Done means the run wrote its summary, which it does last. */
    public boolean isDone(SweepPoint p) { return Files.isRegularFile(pointDir(p).resolve("summary.json")); }

    public Optional<TaskState> state(SweepPoint p) {
        Path f = pointDir(p).resolve(STATE);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(f.toFile(), TaskState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records that this process starts the point (attempt numbers count reruns and requeues). */
    public TaskState started(SweepPoint p) {
        int attempt = state(p).map(s -> s.attempt() + 1).orElse(1);
        TaskState s = new TaskState(TaskState.RUNNING, host(), ProcessHandle.current().pid(), attempt, Instant.now().toString(), null, null);
        write(p, s);
        return s;
    }

    public void write(SweepPoint p, TaskState s) {
        try {
            Files.createDirectories(pointDir(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunDirectory.writeAtomically(pointDir(p).resolve(STATE), tmp -> JSON.writeValue(tmp.toFile(), s));
    }

    /** The points not done yet, which a (re)submission runs. */
    public List<SweepPoint> unfinished() {
        return manifest.points().stream().filter(p -> !isDone(p)).toList();
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
