package org.sdex.core.memory;

/**
 * Returns the off-heap memory of dead ND4J arrays to the system at a bounded cost.
 *
 * <p>SameDiff leaves most of the arrays of a forward or backward pass to the garbage collector,
 * and their native buffers are only freed after a collection. The Java heap barely notices them
 * (each array is a small object there), so collections come late: measured on a 1.3M-parameter
 * U-Net, the resident set swung between 7 and 14 GB during training, and a full machine slows
 * everything down. Collecting after network calls keeps it flat (5.3 GB in the same test); to
 * keep the cost small, a collection happens at most once a second and at most
 * {@value #MAX_SHARE_PERCENT}% of the time (its own duration is measured).
 */
public final class NativeMemory {
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;
    static final int MAX_SHARE_PERCENT = 5;

    private static long last = System.nanoTime();
    private static long lastDuration;

    private NativeMemory() {}

    /** Collects garbage when the last collection is long enough ago; called after each network evaluation. */
    public static synchronized void collectIfDue() {
        long now = System.nanoTime();
        if (now - last < Math.max(MIN_INTERVAL_NANOS, lastDuration * (100 / MAX_SHARE_PERCENT))) return;
        System.gc();
        long end = System.nanoTime();
        lastDuration = end - now;
        last = end;
    }
}
