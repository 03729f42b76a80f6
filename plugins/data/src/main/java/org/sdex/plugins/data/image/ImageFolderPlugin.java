package org.sdex.plugins.data.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;

/**
 * {@code image_folder}: PNG and JPEG files ({@code .png}, {@code .jpg}, {@code .jpeg}, any case;
 * other files are ignored) under {@code <data root>/<dir>}.
 *
 * <ul>
 *   <li><b>Splits.</b> If {@code <dir>} has a {@code train} or {@code test} sub-folder, the split's
 *       folder {@code <dir>/<split>} is read (and must exist). Otherwise {@code <dir>} itself is read
 *       for every split: train and test are then the same images.</li>
 *   <li><b>Labels.</b> If the split folder has sub-folders, each is a class, labelled 0, 1, ... in
 *       the sorted order of the folder names, and holds that class's images (searched recursively);
 *       images next to the class folders are an error. Without sub-folders there are no labels. A
 *       split other than train must have train's class folders (the same labels).</li>
 *   <li><b>Order.</b> Classes in label order, each class's files sorted by path; {@code limit} keeps
 *       the first N of that order (and decodes only those).</li>
 *   <li><b>Pixels.</b> The largest centred square is cropped and resampled to {@code size x size}
 *       (area averaging when shrinking, bilinear when enlarging), then kept as 8-bit values, with
 *       {@code channels} 1 (luma) or 3 (RGB). Alpha is ignored.</li>
 * </ul>
 */
public final class ImageFolderPlugin implements DatasetPlugin {
    @Override public String name() { return "image_folder"; }

    @Override public String description() { return "PNG/JPEG files in a folder (class sub-folders give labels), resized to [channels, size, size]"; }

    @Override
    public List<Param> parameters() {
        List<Param> params = new ArrayList<>();
        params.add(Param.string("dir", null, "folder under the data root (or absolute), with train/ and test/ or the images directly"));
        params.add(Param.integer("size", 32, "side of the square images after cropping and resizing").min(1).max(4096));
        params.add(Param.integer("channels", 3, "1 (grey) or 3 (RGB)").min(1).max(3));
        params.addAll(ImageOptions.params(true));
        return params;
    }

    @Override
    public Dataset open(Params p, DataContext ctx) {
        String who = "data '" + name() + "'";
        int channels = p.integer("channels");
        if (channels != 1 && channels != 3) {
            throw new ParamException("channels", who + " parameter 'channels' must be 1 or 3, got " + channels);
        }
        ImageOptions options = ImageOptions.of(p);
        Needed needed = new Needed(who, null, null);
        Path dir = DataFiles.root(needed, ctx.dataRoot()).resolve(p.string("dir")).normalize();
        return read(needed, dir, ctx.split(), p.integer("size"), channels, options.limit()).dataset(name(), options, ctx.dataType());
    }

    static Images read(Needed needed, Path dir, String split, int size, int channels, int limit) {
        String who = needed.who();
        if (!Files.isDirectory(dir)) {
            throw needed.missing("no folder " + dir + " (PNG/JPEG images, in train/ and test/ or directly, "
                    + "optionally in class sub-folders)");
        }
        Path folder = dir;
        if (Files.isDirectory(dir.resolve("train")) || Files.isDirectory(dir.resolve("test"))) {
            folder = dir.resolve(split);
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException(who + ": no folder " + folder + " for split '" + split + "' (" + dir
                        + " has split folders, so each split needs one)");
            }
        }
        List<Path> classDirs = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        for (Path child : list(who, folder)) {
            if (Files.isDirectory(child)) classDirs.add(child);
            else if (isImage(child)) loose.add(child);
        }
        if (!folder.equals(dir) && !split.equals("train")) sameClassesAsTrain(who, dir.resolve("train"), folder, classDirs);
        List<Path> files = new ArrayList<>();
        List<Integer> labelOf = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        if (classDirs.isEmpty()) {
            files.addAll(loose);
        } else {
            if (!loose.isEmpty()) {
                throw new IllegalArgumentException(who + ": " + folder + " has class sub-folders and also images outside them (" + loose.get(0)
                        .getFileName() + "); put every image into its class folder");
            }
            for (int k = 0; k < classDirs.size(); k++) {
                Path c = classDirs.get(k);
                classes.add(c.getFileName().toString());
                for (Path f : walk(who, c)) {
                    files.add(f);
                    labelOf.add(k);
                }
            }
        }
        if (files.isEmpty()) throw new IllegalArgumentException(who + ": no PNG or JPEG images (.png, .jpg, .jpeg) under " + folder);
        int take = limit > 0 ? Math.min(limit, files.size()) : files.size();
        int per = channels * size * size;
        byte[] pixels = new byte[DataFiles.bytes(who, take, per, folder.toString())];
        Resampler resampler = new Resampler(size, channels);
        for (int i = 0; i < take; i++) {
            Path f = files.get(i);
            resampler.convert(decode(who, f), pixels, i * per);
        }
        int[] labels = null;
        if (!classes.isEmpty()) {
            labels = new int[take];
            for (int i = 0; i < take; i++) labels[i] = labelOf.get(i);
        }
        return new Images(pixels, labels, classes, take, channels, size, size);
    }

    /**
     * A label is the position of its class folder's name in the sorted list, so a split whose class
     * folders are not train's would label its images as other classes.
     */
    private static void sameClassesAsTrain(String who, Path train, Path folder, List<Path> classDirs) {
        if (!Files.isDirectory(train)) return;
        List<String> trainClasses = list(who, train).stream().filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        List<String> classes = classDirs.stream().map(p -> p.getFileName().toString()).toList();
        if (classes.equals(trainClasses)) return;
        throw new IllegalArgumentException(who + ": " + folder + " has " + classFolders(classes) + ", " + train + " has "
                + classFolders(trainClasses) + "; labels follow the sorted folder names, so every split needs train's class folders");
    }

    private static String classFolders(List<String> names) {
        return names.isEmpty() ? "no class folders" : "the class folders " + names;
    }

    private static BufferedImage decode(String who, Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(who + ": cannot read image " + file + ": " + why.replace('\n', ' '));
        }
        if (img == null) throw new IllegalArgumentException(who + ": cannot read image " + file + ": not a PNG or JPEG file");
        return img;
    }

    static boolean isImage(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) && Files.isRegularFile(f);
    }

    /** Children of a folder, sorted by name, hidden ones left out. */
    private static List<Path> list(String who, Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(who + ": cannot list " + folder + ": " + e.getMessage());
        }
    }

    /** Image files anywhere under a class folder, sorted by path. */
    private static List<Path> walk(String who, Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(ImageFolderPlugin::isImage).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(who + ": cannot list " + folder + ": " + e.getMessage());
        }
    }
}
