package org.sdex.cli.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import org.sdex.core.error.SdexException;

/**
 * Fetches one file to {@code target} so that a file under the target's name is always complete
 * and verified: bytes go to {@code target.part}, an interrupted download is continued from there
 * with an HTTP Range request, and only a file of the published size and MD5 is renamed into place.
 * A {@code .part} that cannot be right (a wrong checksum, a server that sent less than it announced
 * as complete) is deleted, so the next attempt starts afresh.
 */
public final class Download {
    private final HttpClient http;

    public Download(HttpClient http) { this.http = http; }

    public static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The {@code .part} file a download of {@code target} writes to. */
    public static Path part(Path target) { return target.resolveSibling(target.getFileName() + ".part"); }

    /**
     * Downloads {@code url} into {@code target}, reporting the bytes held so far; returns whether it
     * continued an earlier attempt. {@code size} is the expected size ({@code <= 0}: unknown).
     */
    public boolean fetch(URI url, Path target, long size, String md5, LongConsumer progress) {
        Path part = part(target);
        long have = sizeOf(part);
        if (size > 0 && have > size) have = deleted(part);
        // a server that accepts but never answers must not hang the command: the headers are due within a minute
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SdexException("cannot reach " + url + ": " + why(e) + "; check the network (or --mirror) and try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdexException("download of " + url + " interrupted");
        }
        int status = response.statusCode();
        boolean resumed = status == 206 && have > 0;
        if (status == 416 && have > 0 && have == size) {
            resumed = true; // the .part is already whole: verify it below
            close(response.body());
        } else if (status != 200 && status != 206) {
            close(response.body());
            throw new SdexException("download of " + url + " failed: HTTP " + status
                    + (status == 404 ? " (not found; is the address, or --mirror, right?)" : ""));
        } else {
            if (!resumed) have = 0; // the server sent the whole file: start over
            have = copy(response.body(), part, resumed, have, size, url, progress);
        }
        if (size > 0 && have != size) {
            deleted(part);
            throw new SdexException("download of " + url + " ended at " + have + " of " + size
                    + " bytes although the server called it complete; the partial file was removed, try again later");
        }
        String got = md5(part);
        if (!got.equalsIgnoreCase(md5)) {
            deleted(part);
            throw new SdexException("download of " + url + " has MD5 " + got + ", expected " + md5
                    + "; the file was removed (a changed or corrupted file on the server?)");
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SdexException("cannot move " + part + " to " + target + ": " + why(e));
        }
        return resumed;
    }

    /** Appends the body to the .part file; a broken connection keeps what arrived for the next attempt. */
    private static long copy(InputStream body, Path part, boolean append, long have, long size, URI url, LongConsumer progress) {
        byte[] buf = new byte[1 << 16];
        progress.accept(have);
        try (InputStream in = body;
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                have += n;
                progress.accept(have);
            }
        } catch (IOException e) {
            throw new SdexException("download of " + url + " broke off after " + have + (size > 0 ? " of " + size : "")
                    + " bytes (" + why(e) + "); run the same command again to continue it");
        }
        return have;
    }

    static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) digest.update(buf, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new SdexException("cannot read " + file + ": " + why(e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long deleted(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SdexException("cannot remove " + file + ": " + why(e));
        }
        return 0;
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
    }

    private static String why(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
