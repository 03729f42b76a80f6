package org.sdex.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** --debug: sdex's own loggers go to DEBUG (logback.xml keeps them at INFO, ND4J at WARN). */
final class Logging {
    private Logging() {}

    static void debug() {
        Logger sdex = LoggerFactory.getLogger("org.sdex");
        if (sdex instanceof ch.qos.logback.classic.Logger l) l.setLevel(ch.qos.logback.classic.Level.DEBUG);
    }
}
