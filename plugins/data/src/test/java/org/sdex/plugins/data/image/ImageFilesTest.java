package org.sdex.plugins.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.data.MissingDataException;
import org.sdex.spi.random.Rng;

/** The loaders on small files written here: layouts, values, augmentation and every malformed case. */
class ImageFilesTest {
    @TempDir
    Path root;

    // ---------------------------------------------------------------- helpers

    private Dataset open(DatasetPlugin plugin, String split, Object... kv) {
        return open(plugin, root, DataType.DOUBLE, split, kv);
    }

    private static Dataset open(DatasetPlugin plugin, Path root, DataType type, String split, Object... kv) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) params.put((String) kv[i], kv[i + 1]);
        return plugin.open(Params.of(plugin, params), new DataContext(root, type, split));
    }

    /** An IDX image file: magic, n, rows, cols, then the pixels as given. */
    static byte[] idxImages(int magic, int n, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(n).putInt(rows).putInt(cols).put(pixels).array();
    }

    static byte[] idxLabels(int magic, int n, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(n).put(labels).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    /** Three 2x3 images, pixel (i, y, x) = 40 i + 10 y + x (+ 200 for the last pixel of image 2), labels 7, 0, 3. */
    static byte[] toyPixels() {
        byte[] px = new byte[3 * 6];
        for (int i = 0; i < 3; i++) for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) px[i * 6 + y * 3 + x] = (byte) (40 * i + 10 * y + x);
        px[17] = (byte) 255;
        return px;
    }

    private void writeToy(String prefix, String split, boolean gz) throws IOException {
        byte[] img = idxImages(0x803, 3, 2, 3, toyPixels());
        byte[] lab = idxLabels(0x801, 3, new byte[] {7, 0, 3});
        String suffix = gz ? ".gz" : "";
        Files.write(root.resolve(prefix + "-" + split + "-images-idx3-ubyte" + suffix), gz ? gzip(img) : img);
        Files.write(root.resolve(prefix + "-" + split + "-labels-idx1-ubyte" + suffix), gz ? gzip(lab) : lab);
    }

    private static double[] flat(INDArray a) { return a.dup().data().asDouble(); }

    // ---------------------------------------------------------------- IDX

    @Test
    void idxPlainAndGzippedReadTheSameImagesAndLabels() throws IOException {
        writeToy("plain", "train", false);
        writeToy("packed", "train", true);
        for (String prefix : List.of("plain", "packed")) {
            Dataset d = open(new IdxPlugin(), "train", "prefix", prefix);
            assertThat(d.shape()).containsExactly(1, 2, 3);
            assertThat(d.size()).hasValue(3);
            INDArray x = d.examples(0, 3);
            assertThat(x.shape()).containsExactly(3, 1, 2, 3);
            assertThat(x.dataType()).isEqualTo(DataType.DOUBLE);
            double[] v = flat(x);
            byte[] px = toyPixels();
            for (int k = 0; k < v.length; k++) assertThat(v[k]).as("%s pixel %d", prefix, k).isEqualTo((px[k] & 0xFF) / 255.0);
            assertThat(d.labels(0, 3)).hasValue(new int[] {7, 0, 3});
            assertThat(d.labels(1, 2)).hasValue(new int[] {0, 3});
            assertThat(flat(d.examples(1, 1))).containsExactly(Arrays.copyOfRange(v, 6, 12));
            assertThat(d).hasToString("'idx'");
        }
    }

    @Test
    void thePlainFileWinsOverTheGzippedOneAndGzipIsRecognisedByContent() throws IOException {
        writeToy("both", "test", true);
        // a plain file with other labels beside the .gz
        Files.write(root.resolve("both-test-labels-idx1-ubyte"), idxLabels(0x801, 3, new byte[] {1, 2, 3}));
        assertThat(open(new IdxPlugin(), "test", "prefix", "both").labels(0, 3)).hasValue(new int[] {1, 2, 3});
        // gzipped content without the .gz name is still read
        Files.write(root.resolve("odd-train-images-idx3-ubyte"), gzip(idxImages(0x803, 3, 2, 3, toyPixels())));
        Files.write(root.resolve("odd-train-labels-idx1-ubyte"), idxLabels(0x801, 3, new byte[] {7, 0, 3}));
        assertThat(open(new IdxPlugin(), "train", "prefix", "odd").examples(2, 1).getDouble(0, 0, 1, 2)).isEqualTo(1.0);
    }

    @Test
    void mnistAndFashionAreTheIdxLoaderWithADefaultPrefix() throws IOException {
        writeToy("mnist10k", "train", true);
        writeToy("fashion", "test", false);
        writeToy("mnist", "train", false);
        assertThat(open(new MnistPlugin(), "train").size()).hasValue(3);
        assertThat(open(new MnistPlugin(), "train", "prefix", "mnist").size()).hasValue(3);
        assertThat(open(new FashionPlugin(), "test")).hasToString("'fashion'");
        assertThat(Params.of(new MnistPlugin(), Map.of()).string("prefix")).isEqualTo("auto");
        assertThat(Params.of(new FashionPlugin(), Map.of()).bool("randomFlip")).isFalse();
        assertThatThrownBy(() -> Params.of(new IdxPlugin(), Map.of()))
                .isInstanceOf(ParamException.class).hasMessage("data 'idx' needs parameter 'prefix' (a string)");
    }

    @Test
    void centeringDequantizationPaddingAndLimit() throws IOException {
        writeToy("toy", "train", false);
        byte[] px = toyPixels();
        double[] c = flat(open(new IdxPlugin(), "train", "prefix", "toy", "centered", true).examples(0, 3));
        for (int k = 0; k < c.length; k++) assertThat(c[k]).isCloseTo(2 * (px[k] & 0xFF) / 255.0 - 1, offset(1e-12));
        assertThat(Arrays.stream(c).max().getAsDouble()).isEqualTo(1.0);

        Dataset deq = open(new IdxPlugin(), "train", "prefix", "toy", "uniformDequantization", true);
        // examples are the stored pixels, k/255, even under dequantization: evaluation (bits/dim)
        // dequantizes them itself; training batches from sample() carry the noise
        double[] a = flat(deq.examples(0, 3));
        for (int k = 0; k < a.length; k++) assertThat(a[k]).isCloseTo((px[k] & 0xFF) / 255.0, offset(1e-12));
        assertThat(deq.pixels()).contains(org.sdex.spi.data.PixelRange.UNIT);
        assertThat(open(new IdxPlugin(), "train", "prefix", "toy", "centered", true).pixels())
                .contains(org.sdex.spi.data.PixelRange.CENTERED);
        double[] s = flat(deq.sample(200, new Rng(4)));
        assertThat(Arrays.stream(s).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        assertThat(flat(deq.sample(200, new Rng(4)))).containsExactly(s);
        double[] centeredDeq = flat(open(new IdxPlugin(), "train", "prefix", "toy", "uniformDequantization", true, "centered", true)
                .examples(0, 3));
        for (int k = 0; k < a.length; k++) assertThat(centeredDeq[k]).isCloseTo(2 * a[k] - 1, offset(1e-12));

        Dataset padded = open(new IdxPlugin(), "train", "prefix", "toy", "pad", 2, "centered", true);
        assertThat(padded.shape()).containsExactly(1, 6, 7);
        INDArray x = padded.examples(1, 1);
        assertThat(x.shape()).containsExactly(1, 1, 6, 7);
        for (int y = 0; y < 6; y++) {
            for (int xx = 0; xx < 7; xx++) {
                boolean inside = y >= 2 && y < 4 && xx >= 2 && xx < 5;
                double expected = inside ? 2 * (px[6 + (y - 2) * 3 + xx - 2] & 0xFF) / 255.0 - 1 : -1.0;
                assertThat(x.getDouble(0, 0, y, xx)).as("(%d, %d)", y, xx).isCloseTo(expected, offset(1e-12));
            }
        }
        assertThat(open(new IdxPlugin(), "train", "prefix", "toy", "pad", 1).examples(0, 1).getDouble(0, 0, 0, 0)).isEqualTo(0.0);

        Dataset two = open(new IdxPlugin(), "train", "prefix", "toy", "limit", 2);
        assertThat(two.size()).hasValue(2);
        assertThat(two.labels(0, 2)).hasValue(new int[] {7, 0});
        assertThat(open(new IdxPlugin(), "train", "prefix", "toy", "limit", 99).size()).hasValue(3);
        assertThatThrownBy(() -> two.examples(1, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("data 'idx' has 2 examples; asked for [1, 3)");
    }

    @Test
    void samplesAreUniformDeterministicAndFlippedOnlyWhenAsked() throws IOException {
        writeToy("toy", "train", false);
        Dataset plain = open(new IdxPlugin(), "train", "prefix", "toy");
        INDArray a = plain.sample(3000, new Rng(11));
        assertThat(a.shape()).containsExactly(3000, 1, 2, 3);
        assertThat(plain.sample(3000, new Rng(11))).isEqualTo(a);
        assertThat(plain.sample(3000, new Rng(12))).isNotEqualTo(a);
        // each drawn row is one of the three images, unflipped, each about a third of the time
        double[][] images = new double[3][];
        for (int i = 0; i < 3; i++) images[i] = flat(plain.examples(i, 1));
        int[] seen = new int[3];
        double[] v = flat(a);
        for (int r = 0; r < 3000; r++) {
            double[] row = Arrays.copyOfRange(v, 6 * r, 6 * r + 6);
            int which = -1;
            for (int i = 0; i < 3; i++) if (Arrays.equals(row, images[i])) which = i;
            assertThat(which).as("row %d is a stored image", r).isNotNegative();
            seen[which]++;
        }
        assertThat(Arrays.stream(seen).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(900, 1100));

        Dataset flipping = open(new IdxPlugin(), "train", "prefix", "toy", "randomFlip", true);
        double[] f = flat(flipping.sample(2000, new Rng(3)));
        int flipped = 0;
        for (int r = 0; r < 2000; r++) {
            double[] row = Arrays.copyOfRange(f, 6 * r, 6 * r + 6);
            double[] mirrored = {row[2], row[1], row[0], row[5], row[4], row[3]};
            boolean asStored = false;
            boolean asMirror = false;
            for (double[] img : images) {
                asStored |= Arrays.equals(row, img);
                asMirror |= Arrays.equals(mirrored, img);
            }
            assertThat(asStored || asMirror).isTrue();
            if (!asStored) flipped++;
        }
        assertThat(flipped / 2000.0).isCloseTo(0.5, offset(0.05));
        // examples are never flipped
        assertThat(flat(flipping.examples(0, 1))).containsExactly(images[0]);

        // the context's dtype
        Dataset single = open(new IdxPlugin(), root, DataType.FLOAT, "train", "prefix", "toy");
        assertThat(single.sample(5, new Rng(1)).dataType()).isEqualTo(DataType.FLOAT);
        assertThat(single.examples(0, 3).dataType()).isEqualTo(DataType.FLOAT);
        assertThat(single.examples(2, 1).getFloat(0, 0, 1, 2)).isEqualTo(1.0f);
    }

    @Test
    void malformedIdxFilesGiveOneLineNamingTheFileAndTheProblem() throws IOException {
        byte[] px = toyPixels();
        byte[] labels = idxLabels(0x801, 3, new byte[] {7, 0, 3});
        Path img = root.resolve("bad-train-images-idx3-ubyte");
        Path lab = root.resolve("bad-train-labels-idx1-ubyte");
        Files.write(lab, labels);

        // wrong magic: a label file where the images should be
        Files.write(img, labels);
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + img + " is not an IDX image file: magic number 0x00000801 (a label file), expected 0x00000803");
        Files.write(img, idxImages(0x0000_0D03, 3, 2, 3, px));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + img + " is not an IDX image file: magic number 0x00000D03, expected 0x00000803");

        // truncated: the header promises 5 images, 3 follow
        Files.write(img, idxImages(0x803, 5, 2, 3, px));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + img + " is truncated: its header announces 5 images of 2x3 but the data ends after 3 images (18 of 30 pixel bytes)");
        // truncated inside the header
        Files.write(img, Arrays.copyOf(idxImages(0x803, 3, 2, 3, px), 10));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + img + " is truncated: it ends inside its 16-byte header");
        // a gzip file cut short
        Files.delete(img);
        Path gz = root.resolve("bad-train-images-idx3-ubyte.gz");
        byte[] packed = gzip(idxImages(0x803, 3, 2, 3, px));
        Files.write(gz, Arrays.copyOf(packed, packed.length - 12));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + gz + " is truncated: its header announces 3 images of 2x3 but the data ends after ");
        Files.delete(gz);

        // image/label count mismatch
        Files.write(img, idxImages(0x803, 3, 2, 3, px));
        Files.write(lab, idxLabels(0x801, 4, new byte[] {1, 2, 3, 4}));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': 3 images in " + img + " but 4 labels in " + lab);
        // labels truncated
        Files.write(lab, idxLabels(0x801, 3, new byte[] {1, 2}));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + lab + " is truncated: its header announces 3 labels but the data ends after 2");
        // labels with the image magic
        Files.write(lab, idxImages(0x803, 3, 2, 3, px));
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': " + lab + " is not an IDX label file: magic number 0x00000803 (an image file), expected 0x00000801");

        // missing files: the full path looked for and what it should hold
        // (a known data set says how to download it, and is reported as missing data, which validation can pass over)
        assertOneLine(() -> open(new FashionPlugin(), "train"), MissingDataException.class,
                "data 'fashion': no file " + root.resolve("fashion-train-images-idx3-ubyte") + "(.gz) (IDX images of split 'train' "
                        + "for prefix 'fashion'); get it with: sdex data get fashion (--data DIR or SDEX_DATA chooses the data root)");
        assertThatThrownBy(() -> open(new FashionPlugin(), "train", "pad", 2)).isInstanceOfSatisfying(MissingDataException.class,
                e -> assertThat(e.shape()).hasValueSatisfying(shape -> assertThat(shape).containsExactly(1, 32, 32)));
        Files.delete(lab);
        assertOneLine(() -> open(new IdxPlugin(), "train", "prefix", "bad"), IllegalArgumentException.class,
                "data 'idx': no file " + lab + "(.gz) (IDX labels of split 'train' for prefix 'bad'); --data DIR or SDEX_DATA chooses the data root");
        assertOneLine(() -> open(new MnistPlugin(), root.resolve("nowhere"), DataType.FLOAT, "train"), IllegalArgumentException.class,
                "data 'mnist': the data root " + root.resolve("nowhere") + " is not a folder; get it with: sdex data get mnist (--data DIR or SDEX_DATA chooses the data root)");
    }

    // ---------------------------------------------------------------- CIFAR-10

    /** A CIFAR record: R(y, x) = x + seed, G(y, x) = y + 100, B = 200 + seed, so channel order and row layout are visible. */
    static byte[] cifarRecord(int label, int seed) {
        byte[] r = new byte[Cifar10Plugin.RECORD];
        r[0] = (byte) label;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                r[1 + y * 32 + x] = (byte) (x + seed);
                r[1 + 1024 + y * 32 + x] = (byte) (y + 100);
                r[1 + 2048 + y * 32 + x] = (byte) (200 + seed);
            }
        }
        return r;
    }

    private Path writeCifar() throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            // two records per file: labels b and 9 - b, seeds 10 b and 10 b + 1
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(cifarRecord(b, 10 * b));
            out.write(cifarRecord(9 - b, 10 * b + 1));
            Files.write(dir.resolve("data_batch_" + b + ".bin"), out.toByteArray());
        }
        Files.write(dir.resolve("test_batch.bin"), cifarRecord(0, 3));
        return dir;
    }

    @Test
    void cifarRecordsAreLabelThenRedGreenBluePlanes() throws IOException {
        writeCifar();
        Dataset train = open(new Cifar10Plugin(), "train", "randomFlip", false);
        assertThat(train.shape()).containsExactly(3, 32, 32);
        assertThat(train.size()).hasValue(10);
        assertThat(train.labels(0, 10)).hasValue(new int[] {1, 8, 2, 7, 3, 6, 4, 5, 5, 4});
        INDArray x = train.examples(2, 2); // data_batch_2: seeds 20 and 21
        assertThat(x.shape()).containsExactly(2, 3, 32, 32);
        for (int i = 0; i < 2; i++) {
            int seed = 20 + i;
            for (int y : new int[] {0, 7, 31}) {
                for (int xx : new int[] {0, 5, 31}) {
                    assertThat(x.getDouble(i, 0, y, xx)).isEqualTo((xx + seed) / 255.0);
                    assertThat(x.getDouble(i, 1, y, xx)).isEqualTo((y + 100) / 255.0);
                    assertThat(x.getDouble(i, 2, y, xx)).isEqualTo((200 + seed) / 255.0);
                }
            }
        }
        Dataset test = open(new Cifar10Plugin(), "test");
        assertThat(test.size()).hasValue(1);
        assertThat(test.labels(0, 1)).hasValue(new int[] {0});
        assertThat(test.examples(0, 1).getDouble(0, 2, 4, 4)).isEqualTo(203 / 255.0);
        assertThat(((ImageData) test).classNames()).hasSize(10).startsWith("airplane");

        // limit reads across files in order; default randomFlip is on for CIFAR
        Dataset three = open(new Cifar10Plugin(), "train", "limit", 3);
        assertThat(three.labels(0, 3)).hasValue(new int[] {1, 8, 2});
        assertThat(Params.of(new Cifar10Plugin(), Map.of()).bool("randomFlip")).isTrue();
        // a flipped draw mirrors the red ramp: R(0, 0) is then x = 31
        INDArray s = three.sample(200, new Rng(5));
        int mirrored = 0;
        for (int i = 0; i < 200; i++) {
            double r0 = s.getDouble(i, 0, 0, 0);
            double b = s.getDouble(i, 2, 0, 0) * 255 - 200; // the seed
            if (Math.abs(r0 * 255 - (31 + b)) < 1e-6) mirrored++;
            else assertThat(r0 * 255).isCloseTo(b, offset(1e-6));
        }
        assertThat(mirrored).isBetween(70, 130);
    }

    @Test
    void malformedCifarGivesOneLine() throws IOException {
        Path dir = writeCifar();
        Path first = dir.resolve("data_batch_1.bin");
        Files.write(first, Arrays.copyOf(cifarRecord(1, 1), 3073 * 2 - 100));
        assertOneLine(() -> open(new Cifar10Plugin(), "train"), IllegalArgumentException.class,
                "data 'cifar10': " + first + " has 6046 bytes, not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes)");
        Files.write(first, cifarRecord(12, 1));
        assertOneLine(() -> open(new Cifar10Plugin(), "train"), IllegalArgumentException.class,
                "data 'cifar10': " + first + " record 1 has label 12, not a CIFAR-10 class 0-9 (is it the CIFAR-10 binary version?)");
        Files.delete(dir.resolve("data_batch_3.bin"));
        assertOneLine(() -> open(new Cifar10Plugin(), "train"), IllegalArgumentException.class,
                "data 'cifar10': no file " + dir.resolve("data_batch_3.bin") + " (a CIFAR-10 train batch of the CIFAR-10 binary version "
                        + "(cifar-10-binary.tar.gz) with data_batch_1..5.bin and test_batch.bin); get it with: sdex data get cifar10 (--data DIR or SDEX_DATA chooses the data root)");
        assertOneLine(() -> open(new Cifar10Plugin(), "train", "dir", "cifar"), IllegalArgumentException.class,
                "data 'cifar10': no folder " + root.resolve("cifar") + " (CIFAR-10 binary version (cifar-10-binary.tar.gz) with "
                        + "data_batch_1..5.bin and test_batch.bin); --data DIR or SDEX_DATA chooses the data root");
        assertOneLine(() -> open(new Cifar10Plugin(), "valid"), IllegalArgumentException.class,
                "data 'cifar10' has the splits 'train' and 'test', not 'valid'");
    }

    // ---------------------------------------------------------------- image folders

    static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        return img;
    }

    static void png(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    }

    @Test
    void imageFolderLabelsFromSortedClassFoldersAndResizesSolidColours() throws IOException {
        Path dir = root.resolve("shapes");
        png(solid(64, 48, 0xFF0000), dir.resolve("train/red/b.png"));
        png(solid(10, 10, 0xFF0000), dir.resolve("train/red/a.png"));
        png(solid(40, 40, 0x0000FF), dir.resolve("train/blue/deeper/x.png"));
        png(solid(5, 7, 0x204080), dir.resolve("train/mixed/one.PNG"));
        Files.writeString(dir.resolve("train/red/notes.txt"), "not an image");
        png(solid(16, 16, 0x0000FF), dir.resolve("test/blue/b.png"));
        png(solid(16, 16, 0x00FF00), dir.resolve("test/mixed/g.png"));
        png(solid(16, 16, 0xFF0000), dir.resolve("test/red/r.png"));

        ImageData train = (ImageData) open(new ImageFolderPlugin(), "train", "dir", "shapes", "size", 16);
        assertThat(train.shape()).containsExactly(3, 16, 16);
        assertThat(train.classNames()).containsExactly("blue", "mixed", "red");
        assertThat(train.size()).hasValue(4);
        // classes in label order, files sorted within each class
        assertThat(train.labels(0, 4)).hasValue(new int[] {0, 1, 2, 2});
        int[][] rgb = {{0, 0, 255}, {0x20, 0x40, 0x80}, {255, 0, 0}, {255, 0, 0}};
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y : new int[] {0, 9, 15}) {
                    for (int x : new int[] {0, 4, 15}) assertThat(train.pixel(i, c, y, x)).as("image %d channel %d", i, c).isEqualTo(rgb[i][c]);
                }
            }
        }
        INDArray x = train.examples(0, 1);
        assertThat(x.getDouble(0, 2, 3, 3)).isEqualTo(1.0);
        assertThat(x.getDouble(0, 0, 3, 3)).isEqualTo(0.0);

        ImageData test = (ImageData) open(new ImageFolderPlugin(), "test", "dir", "shapes", "channels", 1, "size", 8);
        assertThat(test.shape()).containsExactly(1, 8, 8);
        assertThat(test.classNames()).containsExactly("blue", "mixed", "red");
        assertThat(test.labels(0, 3)).hasValue(new int[] {0, 1, 2});
        assertThat(test.pixel(1, 0, 4, 4)).isEqualTo(150); // 0.587 * 255 = 149.7
        assertThat(Params.of(new ImageFolderPlugin(), Map.of("dir", "x")).bool("randomFlip")).isTrue();
    }

    @Test
    void resamplingAveragesAreasWhenShrinkingInterpolatesWhenGrowingAndCropsTheCentre() throws IOException {
        Path dir = root.resolve("patterns");
        // 4x4 with 2x2 blocks of 0 and 255 -> 2x2 exactly those blocks
        BufferedImage blocks = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) blocks.setRGB(x, y, ((x / 2 + y / 2) % 2 == 0) ? 0 : 0xFFFFFF);
        png(blocks, dir.resolve("a_blocks.png"));
        // 1-pixel checkerboard 6x6 -> 3x3 all the mean 127.5 -> 128 (round half up)
        BufferedImage fine = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) for (int x = 0; x < 6; x++) fine.setRGB(x, y, ((x + y) % 2 == 0) ? 0 : 0xFFFFFF);
        png(fine, dir.resolve("b_fine.png"));
        // 6 wide, 2 high: the centred 2x2 square is columns 2..3; column 2 black, column 3 white
        BufferedImage wide = new BufferedImage(6, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) for (int x = 0; x < 6; x++) wide.setRGB(x, y, x == 3 ? 0xFFFFFF : x == 2 ? 0 : 0x808080);
        png(wide, dir.resolve("c_wide.png"));

        ImageData two = (ImageData) open(new ImageFolderPlugin(), "train", "dir", "patterns", "size", 2, "channels", 1, "randomFlip", false);
        assertThat(two.labels(0, 3)).isEmpty();
        assertThat(two.classNames()).isEmpty();
        assertThat(new int[] {two.pixel(0, 0, 0, 0), two.pixel(0, 0, 0, 1), two.pixel(0, 0, 1, 0), two.pixel(0, 0, 1, 1)})
                .containsExactly(0, 255, 255, 0);
        assertThat(two.pixel(2, 0, 0, 0)).isEqualTo(0);
        assertThat(two.pixel(2, 0, 1, 1)).isEqualTo(255);

        ImageData three = (ImageData) open(new ImageFolderPlugin(), "train", "dir", "patterns", "size", 3, "channels", 1);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 3; x++) assertThat(three.pixel(1, 0, y, x)).isEqualTo(128);

        // growing 2x2 (columns 0 | 255) to 4x4: pixel centres 0, 1/4, 3/4, 1 of the way -> 0, 64, 191, 255
        ImageData four = (ImageData) open(new ImageFolderPlugin(), "train", "dir", "patterns", "size", 4, "channels", 3);
        int[] row = new int[4];
        for (int x = 0; x < 4; x++) row[x] = four.pixel(2, 1, 0, x);
        assertThat(row).containsExactly(0, 64, 191, 255);
    }

    @Test
    void greyPngsKeepTheirStoredValuesAndJpegsAreRead() throws IOException {
        Path dir = root.resolve("grey");
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) grey.getRaster().setSample(x, y, 0, 128);
        png(grey, dir.resolve("a.png"));
        Files.createDirectories(dir);
        assertThat(ImageIO.write(solid(8, 8, 0x646464), "jpg", dir.resolve("b.jpg").toFile())).isTrue();
        ImageData g1 = (ImageData) open(new ImageFolderPlugin(), "train", "dir", "grey", "size", 8, "channels", 1);
        assertThat(g1.pixel(0, 0, 3, 3)).isEqualTo(128); // not gamma-converted through the grey colour space
        assertThat(g1.pixel(1, 0, 3, 3)).isBetween(97, 103);
        ImageData g3 = (ImageData) open(new ImageFolderPlugin(), "train", "dir", "grey", "size", 4, "channels", 3);
        for (int c = 0; c < 3; c++) assertThat(g3.pixel(0, c, 1, 1)).isEqualTo(128);
        // without split folders, every split reads the folder itself
        assertThat(open(new ImageFolderPlugin(), "test", "dir", "grey").size()).hasValue(2);
    }

    @Test
    void aTestSplitWithOtherClassFoldersThanTrainIsRefused() throws IOException {
        Path dir = root.resolve("pets");
        for (String f : new String[] {"train/cat/a.png", "train/dog/a.png", "test/cat/a.png", "test/dog/a.png"}) png(solid(4, 4, 0), dir.resolve(f));
        // the same class folders: the test split opens, labelled as train is
        assertThat(open(new ImageFolderPlugin(), "test", "dir", "pets").labels(0, 2)).hasValue(new int[] {0, 1});
        // fish would be label 1 in test and dog is label 1 in train
        Files.move(dir.resolve("test/dog"), dir.resolve("test/fish"));
        assertOneLine(() -> open(new ImageFolderPlugin(), "test", "dir", "pets"), IllegalArgumentException.class,
                "data 'image_folder': " + dir.resolve("test") + " has the class folders [cat, fish], " + dir.resolve("train")
                        + " has the class folders [cat, dog]; labels follow the sorted folder names, so every split needs train's class folders");
        // train itself is not compared with anything
        assertThat(open(new ImageFolderPlugin(), "train", "dir", "pets").size()).hasValue(2);
        // an unlabelled test split beside a labelled train split
        Path flat = root.resolve("flat");
        png(solid(4, 4, 0), flat.resolve("train/cat/a.png"));
        png(solid(4, 4, 0), flat.resolve("test/a.png"));
        assertOneLine(() -> open(new ImageFolderPlugin(), "test", "dir", "flat"), IllegalArgumentException.class,
                "data 'image_folder': " + flat.resolve("test") + " has no class folders, " + flat.resolve("train")
                        + " has the class folders [cat]; ");
    }

    @Test
    void malformedImageFoldersGiveOneLine() throws IOException {
        Path dir = root.resolve("bad");
        png(solid(4, 4, 0), dir.resolve("train/cls/ok.png"));
        assertOneLine(() -> open(new ImageFolderPlugin(), "test", "dir", "bad"), IllegalArgumentException.class,
                "data 'image_folder': no folder " + dir.resolve("test") + " for split 'test' (" + dir + " has split folders, so each split needs one)");
        Path junk = dir.resolve("train/cls/zz.png");
        Files.writeString(junk, "this is not a png");
        assertOneLine(() -> open(new ImageFolderPlugin(), "train", "dir", "bad"), IllegalArgumentException.class,
                "data 'image_folder': cannot read image " + junk + ": not a PNG or JPEG file");
        // a PNG cut short inside its pixel data
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Rng rng = new Rng(1);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) noise.setRGB(x, y, (int) rng.nextLong() & 0xFFFFFF);
        ImageIO.write(noise, "png", bytes);
        Files.write(junk, Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        assertOneLine(() -> open(new ImageFolderPlugin(), "train", "dir", "bad"), IllegalArgumentException.class,
                "data 'image_folder': cannot read image " + junk + ": ");
        Files.delete(junk);
        png(solid(4, 4, 0), dir.resolve("train/loose.png"));
        assertOneLine(() -> open(new ImageFolderPlugin(), "train", "dir", "bad"), IllegalArgumentException.class,
                "data 'image_folder': " + dir.resolve("train") + " has class sub-folders and also images outside them (loose.png); "
                        + "put every image into its class folder");
        Files.createDirectories(root.resolve("empty"));
        assertOneLine(() -> open(new ImageFolderPlugin(), "train", "dir", "empty"), IllegalArgumentException.class,
                "data 'image_folder': no PNG or JPEG images (.png, .jpg, .jpeg) under " + root.resolve("empty"));
        assertOneLine(() -> open(new ImageFolderPlugin(), "train", "dir", "absent"), IllegalArgumentException.class,
                "data 'image_folder': no folder " + root.resolve("absent") + " (PNG/JPEG images, in train/ and test/ or directly, "
                        + "optionally in class sub-folders); --data DIR or SDEX_DATA chooses the data root");
        assertOneLine(() -> open(new ImageFolderPlugin(), "train", "dir", "bad", "channels", 2), ParamException.class,
                "data 'image_folder' parameter 'channels' must be 1 or 3, got 2");
        assertThatThrownBy(() -> Params.of(new ImageFolderPlugin(), Map.of("dir", "bad", "size", 0)))
                .isInstanceOf(ParamException.class).hasMessage("data 'image_folder' parameter 'size' must be an integer in [1, 4096], got 0");
        assertThatThrownBy(() -> Params.of(new ImageFolderPlugin(), Map.of("dir", "bad", "pad", -1)))
                .isInstanceOf(ParamException.class).hasMessageStartingWith("data 'image_folder' parameter 'pad' must be");
    }

    /** The message is one line; it equals {@code expected}, or starts with it when {@code expected} ends in a space. */
    private static void assertOneLine(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<? extends Throwable> type, String expected) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(type);
        assertThat(t.getMessage()).doesNotContain("\n");
        if (expected.endsWith(" ")) assertThat(t.getMessage()).startsWith(expected);
        else assertThat(t.getMessage()).isEqualTo(expected);
    }
}
