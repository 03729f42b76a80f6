package org.sdex.core.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.run.RunDirectory;
import org.sdex.spi.data.PixelRange;

/** Writes a batch of images [N, C, H, W] (C = 1 or 3, model-space values) as one PNG grid. */
public final class ImageGrid {
    private ImageGrid() {}

    /** {@link #write} with as many columns as rows (the last row may be short). */
    public static void writeSquare(INDArray images, PixelRange range, Path file) {
        write(images, (int) Math.ceil(Math.sqrt(images.size(0))), range, file);
    }

    /**
     * @param columns images per row (the grid has ceil(N / columns) rows)
     * @param range   how the values map to pixels; values outside are clipped
     */
    public static void write(INDArray images, int columns, PixelRange range, Path file) {
        if (images.rank() != 4 || (images.size(1) != 1 && images.size(1) != 3)) {
            throw new IllegalArgumentException("an image grid needs [N, 1 or 3, H, W], got " + java.util.Arrays.toString(images.shape()));
        }
        int n = (int) images.size(0), c = (int) images.size(1), h = (int) images.size(2), w = (int) images.size(3);
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        int pad = 2;
        BufferedImage img = new BufferedImage(cols * (w + pad) + pad, rows * (h + pad) + pad, BufferedImage.TYPE_INT_RGB);
        double[] v = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = pad + (i % cols) * (w + pad), y0 = pad + (i / cols) * (h + pad);
            int base = i * c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r = pixel(range, v[base + y * w + x]);
                    int g = c == 3 ? pixel(range, v[base + plane + y * w + x]) : r;
                    int b = c == 3 ? pixel(range, v[base + 2 * plane + y * w + x]) : r;
                    img.setRGB(x0 + x, y0 + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        RunDirectory.writeAtomically(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer");
        });
    }

    private static int pixel(PixelRange range, double value) {
        double u = range.toUnit(value);
        return (int) Math.round(255 * Math.max(0, Math.min(1, u)));
    }
}
