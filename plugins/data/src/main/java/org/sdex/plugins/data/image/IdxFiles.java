package org.sdex.plugins.data.image;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads MNIST-style IDX files: a big-endian header (magic {@code 0x00000803} and dims n, rows, cols
 * for images; {@code 0x00000801} and n for labels) followed by unsigned bytes, gzipped or not.
 */
final class IdxFiles {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /** The first {@code limit} (0 = all) images of {@code imageFile} with their labels from {@code labelFile}. */
    static Images read(String who, Path imageFile, Path labelFile, int limit) {
        InputStream in = DataFiles.open(who, imageFile);
        int n;
        int rows;
        int cols;
        byte[] pixels;
        int take;
        try {
            int[] header = header(who, imageFile, in, 4, IMAGES_MAGIC, "image");
            n = header[1];
            rows = header[2];
            cols = header[3];
            if (n <= 0 || rows <= 0 || cols <= 0) {
                throw new IllegalArgumentException(who + ": " + imageFile + " declares " + n + " images of " + rows + "x" + cols
                        + "; expected positive sizes");
            }
            take = limit > 0 ? Math.min(limit, n) : n;
            long per = (long) rows * cols;
            pixels = new byte[DataFiles.bytes(who, take, per, imageFile.toString())];
            int got = DataFiles.read(who, imageFile, in, pixels, 0, pixels.length);
            if (got < pixels.length) {
                throw new IllegalArgumentException(who + ": " + imageFile + " is truncated: its header announces " + n + " images of "
                        + rows + "x" + cols + " but the data ends after " + got / per + " images (" + got + " of " + n * per + " pixel bytes)");
            }
        } finally {
            DataFiles.close(in);
        }
        int[] labels = new int[take];
        InputStream lin = DataFiles.open(who, labelFile);
        try {
            int[] header = header(who, labelFile, lin, 2, LABELS_MAGIC, "label");
            if (header[1] != n) {
                throw new IllegalArgumentException(who + ": " + n + " images in " + imageFile + " but " + header[1] + " labels in " + labelFile);
            }
            byte[] raw = new byte[take];
            int got = DataFiles.read(who, labelFile, lin, raw, 0, take);
            if (got < take) {
                throw new IllegalArgumentException(who + ": " + labelFile + " is truncated: its header announces " + n
                        + " labels but the data ends after " + got);
            }
            for (int i = 0; i < take; i++) labels[i] = raw[i] & 0xFF;
        } finally {
            DataFiles.close(lin);
        }
        return new Images(pixels, labels, List.of(), take, 1, rows, cols);
    }

    /** Magic number and {@code words - 1} dimensions, checked against the expected magic. */
    private static int[] header(String who, Path file, InputStream in, int words, int magic, String kind) {
        byte[] b = new byte[4 * words];
        int got = DataFiles.read(who, file, in, b, 0, b.length);
        if (got < 4) {
            throw new IllegalArgumentException(who + ": " + file + " is not an IDX " + kind + " file: it has only " + got + " bytes");
        }
        int[] h = new int[words];
        for (int i = 0; i < got / 4; i++) {
            h[i] = ((b[4 * i] & 0xFF) << 24) | ((b[4 * i + 1] & 0xFF) << 16) | ((b[4 * i + 2] & 0xFF) << 8) | (b[4 * i + 3] & 0xFF);
        }
        if (h[0] != magic) {
            String other = h[0] == IMAGES_MAGIC ? " (an image file)" : h[0] == LABELS_MAGIC ? " (a label file)" : "";
            throw new IllegalArgumentException(String.format("%s: %s is not an IDX %s file: magic number 0x%08X%s, expected 0x%08X",
                    who, file, kind, h[0], other, magic));
        }
        if (got < b.length) {
            throw new IllegalArgumentException(who + ": " + file + " is truncated: it ends inside its " + b.length + "-byte header");
        }
        return h;
    }
}
