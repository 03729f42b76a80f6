package org.sdex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sdex.core.error.SdexException;

/**
 * The PyTorch side of the benchmark as one long-lived process ({@code torch_ncsnpp.py serve}) that
 * does one thing per request, so that timings of both sides can alternate without paying for a
 * process start, an import of torch or a new network in between. The protocol is line-based: one
 * JSON object per request on its stdin, one line {@code sdex-bench {JSON}} per reply on its stdout
 * ({@code {"error": ...}} when the request failed); any other output (warnings) is skipped and kept
 * for error messages. The first reply, unasked, is the network's parameter count.
 */
final class PyTorchServer implements AutoCloseable {
    static final String REPLY = "sdex-bench ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Deque<String> other = new ArrayDeque<>();
    private final long parameters;

    /** Starts the script on a network config (a JSON file) with {@code threads} threads. */
    PyTorchServer(String python, Path script, Path configJson, int threads, Map<String, String> parentEnv) throws IOException {
        List<String> cmd = List.of(python, script.toString(), "serve", configJson.toString(), String.valueOf(threads));
        try {
            process = PyTorchProcess.builder(cmd, parentEnv, threads).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new SdexException("cannot start '" + python + "' (" + e.getMessage() + "); pass --python with a python3 that has torch "
                    + "(Debian: apt-get install python3-torch)");
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        parameters = reply("start").get("parameters").asLong();
    }

    long parameters() { return parameters; }

    /** Sends one request (a JSON object) and returns its reply; a failed request is an {@link SdexException}. */
    JsonNode request(Map<String, ?> request) throws IOException {
        in.write(JSON.writeValueAsString(request) + "\n");
        in.flush();
        return reply(String.valueOf(request.get("cmd")));
    }

    /** {@code time} requests: wall milliseconds of one run of {@code what}, with its other fields. */
    double millis(Map<String, ?> request) throws IOException {
        return request(request).get("ms").asDouble();
    }

    private JsonNode reply(String what) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (!line.startsWith(REPLY)) {
                if (other.size() == 5) other.removeFirst();
                other.addLast(line);
                continue;
            }
            JsonNode r = JSON.readTree(line.substring(REPLY.length()));
            if (r.has("error")) throw new SdexException("PyTorch side, request '" + what + "': " + r.get("error").asText());
            return r;
        }
        String tail = String.join(" | ", other);
        throw new SdexException("the PyTorch side ended during '" + what + "'" + (tail.isEmpty() ? "" : ": " + tail)
                + (tail.contains("No module named 'torch'") ? " (pass --python with a python3 that has torch; Debian: python3-torch)" : ""));
    }

    /** Asks the process to end, and ends it if it does not within a few seconds. */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                in.write("{\"cmd\": \"quit\"}\n");
                in.flush();
            }
        } catch (IOException ignored) {
            // it has gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
