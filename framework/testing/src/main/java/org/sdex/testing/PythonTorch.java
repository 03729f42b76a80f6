package org.sdex.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the tests' PyTorch scripts (torch_files.py, fid_inception.py in this package) with Debian's
 * python3-torch, which .ci/run installs; tests that need it are skipped where it is missing.
 */
public final class PythonTorch {
    public static final String PYTHON = "/usr/bin/python3";

    private PythonTorch() {}

    /** Skips the calling test unless {@link #PYTHON} imports every module named (e.g. "torch", "scipy"). */
    public static void assume(String... modules) throws Exception {
        String imports = "import " + String.join(", ", modules);
        boolean ok = Files.isExecutable(Path.of(PYTHON)) && new ProcessBuilder(PYTHON, "-c", imports).start().waitFor() == 0;
        Assumptions.assumeTrue(ok, "no python3 with " + String.join(", ", modules) + " at " + PYTHON
                + " (apt-get install python3-torch python3-scipy)");
    }

    /** Copies a class-path resource next to {@code of} (or of this package when {@code of} is null) into {@code dir}. */
    public static Path resource(String name, Path dir, Class<?> of) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = (of == null ? PythonTorch.class : of).getResourceAsStream(name)) {
            if (in == null) throw new IOException("no resource " + name);
            Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    /** Runs one of this package's scripts in {@code dir} with the arguments; fails with its output when it fails. */
    public static void run(Path dir, String script, String... args) throws Exception {
        Path file = dir.resolve(script);
        if (!Files.exists(file)) resource(script, dir, null);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError(script + " " + String.join(" ", args) + " failed:\n" + out);
    }
}
