package org.sdex.core.run;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Preemption signals: SIGTERM (what Slurm and Kubernetes send before killing a task) and SIGUSR1
 * (Slurm's warning, {@code --signal=B:USR1@120}). While training, either one asks the trainer to
 * stop at the next logged step with a checkpoint, so {@code --resume} continues the loss sequence
 * exactly; outside training SIGTERM ends the process as it would without this handler, and
 * SIGUSR1 is remembered until training starts.
 */
public final class Preemption {
    private static final Logger log = LoggerFactory.getLogger(Preemption.class);
    private static final AtomicBoolean installed = new AtomicBoolean();
    private static volatile boolean training;
    private static volatile String requested;

    private Preemption() {}

    /**
     * Installs the handlers, once per process. The {@code sdex} command does it at start: a JVM
     * without a SIGUSR1 handler dies of the signal, and Slurm's warning may come before training.
     */
    public static void install() {
        if (installed.compareAndSet(false, true)) {
            handle("TERM");
            handle("USR1");
        }
    }

    /** Marks training as under way (installing the handlers if needed). */
    public static void arm() {
        install();
        training = true;
    }

    /** Training is over; a stop requested during it is forgotten. */
    public static void disarm() {
        training = false;
        requested = null;
    }

    /** The signal that asked training to stop, or null. */
    public static String requested() { return requested; }

    private static void handle(String name) {
        try {
            Signal.handle(new Signal(name), s -> {
                if (training || !name.equals("TERM")) {
                    requested = "SIG" + name;
                    log.warn("received SIG{}: stopping after the next logged step with a checkpoint", name);
                } else {
                    // the JVM's own reaction to SIGTERM: shutdown hooks, exit status 128 + 15
                    new Thread(() -> System.exit(143), "sigterm-exit").start();
                }
            });
        } catch (IllegalArgumentException e) {
            log.debug("cannot handle SIG{} here: {}", name, e.getMessage());
        }
    }
}
