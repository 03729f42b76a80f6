package org.sdex.core.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Runs the tests' PyTorch script (torch_files.py) with Debian's python3-torch; tests needing it skip where it is missing. */
final class PythonTorch {
    static final String PYTHON = "/usr/bin/python3";

    private PythonTorch() {}

    static void assumeTorch() throws Exception {
        boolean torch = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import torch").start().waitFor() == 0;
        Assumptions.assumeTrue(torch, "no python3 with torch at " + PYTHON + " (apt-get install python3-torch)");
    }

    /** Copies a class-path resource of this package into {@code dir}. */
    static Path resource(String name, Path dir, Class<?> of) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = of.getResourceAsStream(name)) {
            if (in == null) throw new IOException("no resource " + name);
            Files.copy(in, out);
        }
        return out;
    }

    /** Runs torch_files.py with the arguments; fails with its output when it fails. */
    static void run(Path dir, String... args) throws Exception {
        Path script = dir.resolve("torch_files.py");
        if (!Files.exists(script)) resource("torch_files.py", dir, PythonTorch.class);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("torch_files.py " + String.join(" ", args) + " failed:\n" + out);
    }
}
