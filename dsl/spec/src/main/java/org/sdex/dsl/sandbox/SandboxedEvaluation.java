package org.sdex.dsl.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.SourceLocation;
import org.sdex.dsl.ExperimentLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates an experiment script in a separate, confined process and takes back the experiment as
 * data. The child is a JVM on the same class path running {@link SandboxChild}: an empty
 * environment, a fresh scratch folder as working directory holding a copy of the script, standard
 * input closed, a heap limit, a wall-clock limit enforced here and a CPU-time limit by the OS, and
 * where Linux allows it no network and a read-only file system ({@link Confinement}). The script is
 * evaluated there in the restricted DSL; the parent only parses JSON.
 */
public final class SandboxedEvaluation {
    private static final Logger log = LoggerFactory.getLogger(SandboxedEvaluation.class);
    /** Most an answer may be: a config is a few kilobytes. */
    private static final int MAX_ANSWER = 8 << 20;
    private static boolean noted;

    private final int seconds;
    private final int heapMb;
    private final boolean restricted;

    /** Limits: wall-clock seconds for the whole evaluation (JVM start included) and heap size. */
    public SandboxedEvaluation(int seconds, int heapMb) { this(seconds, heapMb, true); }

    /** Unrestricted Groovy in the confined process: only for tests of the process's confinement. */
    SandboxedEvaluation(int seconds, int heapMb, boolean restricted) {
        this.seconds = seconds;
        this.heapMb = heapMb;
        this.restricted = restricted;
    }

    /** The limits sdex uses: 30 s and 256 MB (a script builds a few settings in well under a second). */
    public static SandboxedEvaluation standard() { return new SandboxedEvaluation(30, 256); }

    public ExperimentConfig load(Path script) {
        String source = ExperimentLoader.read(script);
        String name = script.getFileName().toString();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("sdex-script-");
            Files.writeString(scratch.resolve(name), source);
            return evaluate(scratch, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the script's process: " + e.getMessage(), e);
        } finally {
            if (scratch != null) delete(scratch);
        }
    }

    private ExperimentConfig evaluate(Path scratch, String name) throws IOException {
        Confinement confinement = Confinement.get();
        synchronized (SandboxedEvaluation.class) {
            // said once; loudly only when the OS enforces less than it could
            if (!noted && confinement.namespaces()) log.debug("experiment scripts are evaluated in a separate process: {}", confinement.note());
            if (!noted && !confinement.namespaces()) log.warn("experiment scripts are evaluated in a separate process {}", confinement.note());
            noted = true;
        }
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-XX:CICompilerCount=1", "-Xshare:auto", "-Dgroovy.grape.enable=false",
                "-cp", classPath(), SandboxChild.class.getName(), name));
        if (!restricted) java.add(SandboxChild.FULL_GROOVY);
        ProcessBuilder pb = new ProcessBuilder(confinement.wrap(java, 2 * seconds)).directory(scratch.toFile());
        pb.environment().clear();
        pb.environment().put("LANG", "C.UTF-8");
        Process p = pb.start();
        p.getOutputStream().close();
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        boolean finished;
        try {
            finished = p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ConfigException(new SourceLocation(name, 0), "interrupted while the script was evaluated");
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new ConfigException(new SourceLocation(name, 0), "the script did not finish within " + seconds
                    + " s (an endless loop?); an experiment script only sets values");
        }
        String answer = out.text();
        ExperimentConfig config = ConfigJson.read(answer);
        if (config != null) return config;
        log.debug("script process exited with {}; standard error:\n{}", p.exitValue(), err.text());
        throw new ConfigException(new SourceLocation(name, 0), "the script ended its process without an experiment (exit code "
                + p.exitValue() + "); an experiment script cannot exit, it only sets values");
    }

    /** The parent's class path with absolute entries (the child runs in the scratch folder). */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", dir, e.getMessage());
        }
    }

    /** Reads a stream to its end on a thread of its own, keeping at most {@link #MAX_ANSWER} bytes. */
    private static final class Drain {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (kept) {
                            if (kept.size() < MAX_ANSWER) kept.write(buf, 0, Math.min(n, MAX_ANSWER - kept.size()));
                        }
                    }
                } catch (IOException e) {
                    // the process is gone; what was read is kept
                }
            }, "sdex-script-output");
            thread.setDaemon(true);
            thread.start();
        }

        String text() {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
