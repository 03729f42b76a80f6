package org.sdex.cli.counted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sdex.spi.Param;
import org.sdex.spi.Params;

/**
 * Where the counted plugins write one line per object they make. They run in a plugin jar's own
 * class loader, so a file, not a static counter, is what the test can read.
 */
final class CallLog {
    private CallLog() {}

    static final Param PARAM = Param.string("log", null, "file that gets one line per object made");

    static void record(Params params, String what) {
        try {
            Files.writeString(Path.of(params.string("log")), what + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
