package org.sdex.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standard output carries sdex's results; libraries printing there during a run (SameDiff prints
 * a line per differentiated op when it builds gradients) would bury them. While a run computes,
 * {@code System.out} writes go to the debug log instead (visible with --debug).
 */
final class ForeignStdout extends OutputStream {
    private static final Logger log = LoggerFactory.getLogger("org.sdex.stdout");
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private ForeignStdout() {}

    static <T> T divertDuring(Callable<T> work) throws Exception {
        PrintStream original = System.out;
        ForeignStdout sink = new ForeignStdout();
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            return work.call();
        } finally {
            System.out.flush();
            System.setOut(original);
            sink.flushLine();
        }
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') flushLine();
        else if (b != '\r') line.write(b);
    }

    private synchronized void flushLine() {
        if (line.size() > 0) log.debug("{}", line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
