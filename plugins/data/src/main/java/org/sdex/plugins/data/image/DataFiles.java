package org.sdex.plugins.data.image;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File look-up and reading with one-line messages that name the file and what was expected. */
final class DataFiles {
    /** Java arrays hold at most about this many elements. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16L;

    private DataFiles() {}

    /** The data root of the context; a missing root is reported before any file under it. */
    static Path root(Needed needed, Path dataRoot) {
        if (dataRoot == null) throw needed.missing("no data root");
        Path root = dataRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) throw needed.missing("the data root " + root + " is not a folder");
        return root;
    }

    /** {@code dir/name} or {@code dir/name.gz}, whichever exists (the plain file first). */
    static Path plainOrGz(Needed needed, Path dir, String name, String what) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) return plain;
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw needed.missing("no file " + plain + "(.gz) (" + what + ")");
    }

    /** An existing regular file, or a message naming it and what it should hold. */
    static Path file(Needed needed, Path file, String what) {
        if (Files.isRegularFile(file)) return file;
        throw needed.missing("no file " + file + " (" + what + ")");
    }

    /** Opens a file for buffered reading, decompressing it when it starts with the gzip magic bytes. */
    static InputStream open(String who, Path file) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) return new GZIPInputStream(in, 1 << 16);
            return in;
        } catch (IOException e) {
            throw unreadable(who, file, e);
        }
    }

    /**
     * Reads up to {@code len} bytes into {@code buf[off..]}, stopping early only at the end of the
     * data (a gzip stream cut short counts as an end); returns how many bytes were read.
     */
    static int read(String who, Path file, InputStream in, byte[] buf, int off, int len) {
        int done = 0;
        try {
            while (done < len) {
                int r = in.read(buf, off + done, len - done);
                if (r < 0) break;
                done += r;
            }
        } catch (EOFException e) {
            return done; // "Unexpected end of ZLIB input stream": a truncated .gz
        } catch (IOException e) {
            throw unreadable(who, file, e);
        }
        return done;
    }

    static IllegalArgumentException unreadable(String who, Path file, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.util.zip.ZipException) why = "not a valid gzip file (" + why + ")";
        return new IllegalArgumentException(who + ": cannot read " + file + ": " + why);
    }

    static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only; nothing was lost
        }
    }

    /** The byte count of {@code count} examples of {@code per} bytes, or a message when it cannot be held in memory. */
    static int bytes(String who, long count, long per, String where) {
        long total = count * per;
        if (per <= 0 || count < 0 || total / per != count || total > MAX_ARRAY) {
            throw new IllegalArgumentException(who + ": " + where + " holds " + count + " examples of " + per
                    + " bytes, more than one array can hold; use the 'limit' parameter");
        }
        return (int) total;
    }
}
