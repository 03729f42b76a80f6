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
 * {@value #MAX_SHARE_PERCENT}% of the time (its own duration is measured), and only when the
 * resident set has grown by {@value #GROWTH_MB} MB since the last one: once {@link PassMemory}
 * reuses a network's arrays and its passes are replayed, little is left to the collector, and a
 * collection a second would cost a sampling loop a few percent for nothing.
 */
public final class NativeMemory {
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;
    static final int MAX_SHARE_PERCENT = 5;
    static final int GROWTH_MB = 64;

    private static long last = System.nanoTime();
    private static long lastDuration;
    /** The resident set (MB) after the last collection; -1 before the first. */
    private static double baseline = -1;

    private NativeMemory() {}

    /** Garbage this large (MB) is collected at once by {@link #collectAfterBuild}. */
    static final long BUILD_GARBAGE_MB = 32;

    /**
     * Collects garbage now if a step just left about {@code bytes} of dead arrays behind (building a
     * graph or a gradient function copies every weight once; 247 MB for the CIFAR config), rather
     * than keeping them resident through the pass that follows. Small networks skip the collection.
     */
    public static synchronized void collectAfterBuild(long bytes) {
        if (bytes >= BUILD_GARBAGE_MB << 20) collect(System.nanoTime());
    }

    /** Collects garbage when the last collection is long enough ago; called after each network evaluation. */
    public static synchronized void collectIfDue() {
        long now = System.nanoTime();
        if (now - last < Math.max(MIN_INTERVAL_NANOS, lastDuration * (100 / MAX_SHARE_PERCENT))) return;
        double rss = ResidentMemory.megabytes();
        if (rss >= 0 && baseline >= 0 && rss < baseline + GROWTH_MB) {
            last = now; // checked: look again in a second
            return;
        }
        collect(now);
    }

    /** A collection started at {@code start}, and the bookkeeping that spaces the next one. */
    private static void collect(long start) {
        System.gc();
        last = System.nanoTime();
        lastDuration = last - start;
        baseline = ResidentMemory.megabytes();
    }
}
