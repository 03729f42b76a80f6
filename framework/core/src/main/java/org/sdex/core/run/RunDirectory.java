package org.sdex.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.sdex.core.error.SdexException;

/**
 * The folder of one run: config.json (the resolved experiment), metrics.jsonl, checkpoints/ and
 * outputs (samples.npy, plots). Files are written through a temporary file and a rename, so a
 * crash never leaves a half-written output behind.
 */
public final class RunDirectory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private static final java.security.SecureRandom TEMP_NAMES = new java.security.SecureRandom();

    private final Path dir;

    private RunDirectory(Path dir) { this.dir = dir; }

    /** A new run folder {@code out/<name>-<timestamp>} (suffixed -2, -3, ... if taken). */
    public static RunDirectory create(Path out, String name) {
        String base = name + "-" + LocalDateTime.now().format(STAMP);
        try {
            Files.createDirectories(out);
            for (int i = 1; ; i++) {
                Path p = out.resolve(i == 1 ? base : base + "-" + i);
                try {
                    Files.createDirectory(p);
                    return new RunDirectory(p);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another run started in the same second: take the next suffix
                }
            }
        } catch (IOException e) {
            throw new SdexException("cannot create run directory under " + out + ": " + e.getMessage(), e);
        }
    }

    /** A run folder at exactly {@code dir} (a sweep point's), created if missing. */
    public static RunDirectory at(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SdexException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir);
    }

    /** An existing run folder, for --resume. */
    public static RunDirectory existing(Path dir) {
        if (!Files.isDirectory(dir)) throw new SdexException("--resume: no run directory at " + dir);
        if (!Files.isDirectory(dir.resolve("checkpoints"))) {
            throw new SdexException("--resume: " + dir + " has no checkpoints/ folder; is it an sdex run directory?");
        }
        return new RunDirectory(dir);
    }

    public Path path() { return dir; }

    public Path resolve(String name) { return dir.resolve(name); }

    public Path checkpoints() { return dir.resolve("checkpoints"); }

    /**
     * Takes the run directory for this process: an exclusive OS lock on its {@code .lock} file,
     * released when the returned lock is closed or the process ends, however it ends. A second
     * process is refused with the holder's PID, which the file holds.
     */
    public Lock lock() {
        Path file = dir.resolve(".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file).strip();
                channel.close();
                throw new SdexException("run directory " + dir + " is in use by sdex process " + (holder.isEmpty() ? "(unknown)" : holder)
                        + "; one process at a time may write a run");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            channel.force(false);
            return new Lock(channel);
        } catch (IOException e) {
            throw new SdexException("cannot lock run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The lock of {@link #lock()}. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;

        private Lock(FileChannel channel) { this.channel = channel; }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // the OS releases the lock with the process anyway
            }
        }
    }

    /** Writes a file atomically: temp file in the same folder, then rename over the target. */
    public static void writeAtomically(Path target, IOConsumer<Path> writer) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = newTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName());
            try {
                writer.accept(tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new empty {@code prefix<random>.tmp} in {@code dir}, to be renamed over its target. Created
     * like any new file, with the user's umask (Files.createTempFile would make it 0600, so outputs
     * written through a rename would differ in mode from those appended in place).
     */
    public static Path newTempFile(Path dir, String prefix) throws IOException {
        while (true) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    public void writeString(String name, String content) {
        writeAtomically(resolve(name), tmp -> Files.writeString(tmp, content));
    }

    /** A write action that may throw IOException. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }
}
