package org.sdex.dsl.sandbox;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.error.SdexException;
import org.sdex.dsl.ExperimentLoader;

/**
 * The script's process: evaluates one script (in the working directory, the scratch folder) in the
 * restricted DSL and writes one JSON answer to standard output. Anything the script prints goes to
 * standard error, so it cannot forge the answer. No ND4J here: start-up stays short.
 */
public final class SandboxChild {
    private SandboxChild() {}

    /** Second argument for tests of the confinement itself: evaluate as full Groovy. */
    static final String FULL_GROOVY = "--full-groovy";

    public static void main(String[] args) throws Exception {
        PrintStream answer = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        String file = args[0];
        String json;
        try {
            boolean full = args.length > 1 && args[1].equals(FULL_GROOVY);
            json = ConfigJson.config(full ? ExperimentLoader.loadTrusted(Path.of(file)) : ExperimentLoader.load(Path.of(file)));
        } catch (SdexException e) {
            json = ConfigJson.error(e);
        } catch (OutOfMemoryError e) {
            json = ConfigJson.error(new ConfigException(new SourceLocation(file, 0),
                    "the script needs more memory than an experiment script may use (" + Runtime.getRuntime().maxMemory() / 1048576 + " MB)"));
        } catch (Throwable t) {
            json = ConfigJson.error(new ConfigException(new SourceLocation(file, 0), "the script failed: " + t));
        }
        answer.println(json);
        answer.flush();
        // halt: no shutdown hook or finaliser of the script's runs after the answer
        Runtime.getRuntime().halt(0);
    }
}
