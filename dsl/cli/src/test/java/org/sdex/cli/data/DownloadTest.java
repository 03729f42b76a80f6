package org.sdex.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdex.core.error.SdexException;

/** Downloads from an HTTP server on 127.0.0.1 that this test starts and stops. */
class DownloadTest {
    /** The served file: random bytes, so a piece out of place cannot go unnoticed. */
    private static final byte[] FILE = new byte[300_000];

    static {
        new Random(7).nextBytes(FILE);
    }

    @TempDir Path dir;
    private HttpServer server;
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    /** How the next request to /file is answered. */
    private volatile String mode = "good";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/file", this::serve);
        server.start();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private URI url() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file"); }

    private void serve(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        switch (mode) {
            case "missing" -> { ex.sendResponseHeaders(404, -1); ex.close(); }
            case "truncated" -> send(ex, 200, Arrays.copyOf(FILE, 200_000)); // a complete response of a short file
            case "drop" -> {
                // announce the whole file, send a third, then cut the connection
                ex.sendResponseHeaders(200, FILE.length);
                OutputStream out = ex.getResponseBody();
                out.write(FILE, 0, 100_000);
                out.flush();
                ex.close(); // fewer bytes than announced: the server drops the connection
            }
            default -> {
                if (range != null && range.startsWith("bytes=")) {
                    int from = Integer.parseInt(range.substring(6, range.indexOf('-')));
                    ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (FILE.length - 1) + "/" + FILE.length);
                    send(ex, 206, Arrays.copyOfRange(FILE, from, FILE.length));
                } else {
                    send(ex, 200, FILE);
                }
            }
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The MD5 of the served bytes, from the JDK's digest (the downloader's is what is tested). */
    private static String md5() throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(FILE));
    }

    private final Download download = new Download(Download.client());

    @Test
    void aGoodFileIsVerifiedAndRenamedIntoPlace() throws Exception {
        Path target = dir.resolve("data.gz");
        List<Long> seen = new ArrayList<>();
        assertThat(download.fetch(url(), target, FILE.length, md5(), seen::add)).isFalse();
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(Download.part(target)).doesNotExist();
        assertThat(seen).last().isEqualTo((long) FILE.length);
        assertThat(ranges).containsExactly("null");
    }

    @Test
    void aDroppedConnectionKeepsThePartAndTheNextAttemptContinuesIt() throws Exception {
        Path target = dir.resolve("data.gz");
        mode = "drop";
        assertThatThrownBy(() -> download.fetch(url(), target, FILE.length, md5(), n -> { }))
                .isInstanceOf(SdexException.class)
                .hasMessageStartingWith("download of " + url() + " broke off after ")
                .hasMessageEndingWith("run the same command again to continue it");
        assertThat(target).doesNotExist();
        long kept = Files.size(Download.part(target));
        assertThat(kept).isPositive().isLessThanOrEqualTo(100_000);

        mode = "good";
        assertThat(download.fetch(url(), target, FILE.length, md5(), n -> { })).isTrue();
        assertThat(ranges).last().isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(Download.part(target)).doesNotExist();
    }

    @Test
    void aTruncatedFileLeavesNothing() throws Exception {
        Path target = dir.resolve("data.gz");
        mode = "truncated";
        assertThatThrownBy(() -> download.fetch(url(), target, FILE.length, md5(), n -> { }))
                .isInstanceOf(SdexException.class)
                .hasMessage("download of " + url() + " ended at 200000 of 300000 bytes although the server called it complete;"
                        + " the partial file was removed, try again later");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aWrongChecksumLeavesNothing() {
        Path target = dir.resolve("data.gz");
        String wrong = "0123456789abcdef0123456789abcdef";
        assertThatThrownBy(() -> download.fetch(url(), target, FILE.length, wrong, n -> { }))
                .isInstanceOf(SdexException.class)
                .hasMessageStartingWith("download of " + url() + " has MD5 ")
                .hasMessageContaining(", expected " + wrong + "; the file was removed");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void notFoundSaysSo() {
        mode = "missing";
        assertThatThrownBy(() -> download.fetch(url(), dir.resolve("data.gz"), FILE.length, "x", n -> { }))
                .isInstanceOf(SdexException.class)
                .hasMessage("download of " + url() + " failed: HTTP 404 (not found; is the address, or --mirror, right?)");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aPartOfTheWholeSizeIsOnlyVerified() throws Exception {
        Path target = dir.resolve("data.gz");
        Files.write(Download.part(target), FILE);
        mode = "missing"; // a range past the end: servers answer 416; this one would 404 if asked for the file
        server.removeContext("/file");
        server.createContext("/file", ex -> {
            ranges.add(ex.getRequestHeaders().getFirst("Range"));
            ex.sendResponseHeaders(416, -1);
            ex.close();
        });
        assertThat(download.fetch(url(), target, FILE.length, md5(), n -> { })).isTrue();
        assertThat(ranges).containsExactly("bytes=300000-");
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
    }
}
