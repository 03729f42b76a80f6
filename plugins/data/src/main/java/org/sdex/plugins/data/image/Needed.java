package org.sdex.plugins.data.image;

import org.sdex.spi.data.MissingDataException;

/**
 * What a data set needs from the data root, for the message when it is not there: who asks, the
 * name {@code sdex data get} knows it by (null when it cannot be downloaded) and the shape of one
 * example had the files been there (null when the files decide it), so validation can go on.
 */
record Needed(String who, String download, long[] shape) {
    /** Where the data root is chosen; said in every "missing" message, since the default may be the surprise. */
    static final String CHOOSE_ROOT = "--data DIR or SDEX_DATA chooses the data root";

    MissingDataException missing(String what) {
        String how = download != null
                ? "get it with: sdex data get " + download + " (" + CHOOSE_ROOT + ")"
                : CHOOSE_ROOT;
        return new MissingDataException(who + ": " + what + "; " + how, shape);
    }

    /** The shape [channels, side + 2 pad, side + 2 pad] of a data set of known size. */
    static long[] square(int channels, int side, int pad) {
        return new long[] {channels, side + 2L * pad, side + 2L * pad};
    }
}
