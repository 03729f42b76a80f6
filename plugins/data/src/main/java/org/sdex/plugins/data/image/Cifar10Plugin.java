package org.sdex.plugins.data.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/**
 * {@code cifar10}: the binary version of CIFAR-10 under {@code <data root>/<dir>}: {@code data_batch_1.bin}
 * .. {@code data_batch_5.bin} (train, read in that order) and {@code test_batch.bin} (test). Each record
 * is one label byte (0-9) and 3072 pixel bytes: the 1024 red, 1024 green and 1024 blue values of a 32x32
 * image, rows top to bottom, which is already the [3, 32, 32] layout. A file may hold any whole number
 * of records (10,000 in the real batches). With {@code limit} only the files needed are read.
 */
public final class Cifar10Plugin implements DatasetPlugin {
    /** The folder the official archive (cifar-10-binary.tar.gz) unpacks to. */
    static final String DIR = "cifar-10-batches-bin";
    static final int SIDE = 32;
    static final int PIXELS = 3 * SIDE * SIDE;
    static final int RECORD = 1 + PIXELS;
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    @Override public String name() { return "cifar10"; }

    @Override public String description() { return "CIFAR-10 binary batches (50,000 train / 10,000 test), shape [3, 32, 32]"; }

    @Override
    public List<Param> parameters() {
        List<Param> params = new ArrayList<>();
        params.add(Param.string("dir", DIR, "folder under the data root with data_batch_1..5.bin and test_batch.bin"));
        params.addAll(ImageOptions.params(true));
        return params;
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        String who = "data '" + name() + "'";
        ImageOptions options = ImageOptions.of(p);
        // downloadable, and [3, 32, 32] before padding, as long as the folder is the archive's own
        boolean known = p.string("dir").equals(DIR);
        Needed needed = new Needed(who, known ? name() : null, known ? Needed.square(3, SIDE, options.pad()) : null);
        return read(needed, DataFiles.root(needed, ctx.dataRoot()).resolve(p.string("dir")).normalize(), ctx.split(), options.limit())
                .dataset(name(), options, ctx.dataType());
    }

    static List<String> files(String who, String split) {
        return switch (split) {
            case "train" -> List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
            case "test" -> List.of("test_batch.bin");
            default -> throw new IllegalArgumentException(who + " has the splits 'train' and 'test', not '" + split + "'");
        };
    }

    static Images read(Needed needed, Path dir, String split, int limit) {
        String who = needed.who();
        String what = "CIFAR-10 binary version (cifar-10-binary.tar.gz) with data_batch_1..5.bin and test_batch.bin";
        if (!Files.isDirectory(dir)) throw needed.missing("no folder " + dir + " (" + what + ")");
        List<Path> files = new ArrayList<>();
        List<Integer> records = new ArrayList<>();
        long total = 0;
        for (String f : files(who, split)) {
            Path file = DataFiles.file(needed, dir.resolve(f), "a CIFAR-10 " + split + " batch of the " + what);
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw DataFiles.unreadable(who, file, e);
            }
            if (size == 0 || size % RECORD != 0) {
                throw new IllegalArgumentException(who + ": " + file + " has " + size + " bytes, not a whole number of " + RECORD
                        + "-byte records (1 label byte + 3072 pixel bytes)");
            }
            files.add(file);
            records.add((int) Math.min(size / RECORD, Integer.MAX_VALUE));
            total += size / RECORD;
        }
        int take = (int) (limit > 0 ? Math.min(limit, total) : Math.min(total, Integer.MAX_VALUE));
        byte[] pixels = new byte[DataFiles.bytes(who, take, PIXELS, dir.toString())];
        int[] labels = new int[take];
        byte[] record = new byte[RECORD];
        int done = 0;
        for (int f = 0; f < files.size() && done < take; f++) {
            Path file = files.get(f);
            InputStream in = DataFiles.open(who, file);
            try {
                int n = Math.min(records.get(f), take - done);
                for (int r = 0; r < n; r++) {
                    if (DataFiles.read(who, file, in, record, 0, RECORD) < RECORD) {
                        throw new IllegalArgumentException(who + ": " + file + " ended early, at record " + (r + 1) + " (it changed while being read?)");
                    }
                    int label = record[0] & 0xFF;
                    if (label >= CLASSES.size()) {
                        throw new IllegalArgumentException(who + ": " + file + " record " + (r + 1) + " has label " + label
                                + ", not a CIFAR-10 class 0-9 (is it the CIFAR-10 binary version?)");
                    }
                    labels[done] = label;
                    System.arraycopy(record, 1, pixels, done * PIXELS, PIXELS);
                    done++;
                }
            } finally {
                DataFiles.close(in);
            }
        }
        return new Images(pixels, labels, CLASSES, take, 3, SIDE, SIDE);
    }
}
