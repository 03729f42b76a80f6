package org.sdex.cli.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A data set {@code sdex data get} knows: where it is published, its files, and what the data
 * plugins read once it is in place ({@code present}: files or a folder under the data root).
 * An archive ({@code unpack}) is unpacked into the data root and then removed.
 */
public record DataSet(String name, String description, String home, String baseUrl, List<RemoteFile> files,
                      boolean unpack, List<String> present) {

    /** The data sets of the {@code mnist}, {@code fashion} and {@code cifar10} plugins, from their publishers' pages. */
    public static final List<DataSet> ALL = List.of(
            idx("mnist", "MNIST handwritten digits, 60,000 train / 10,000 test, 28x28 grey (11 MB)",
                    "http://yann.lecun.com/exdb/mnist/ (files from PyTorch's mirror of it)",
                    "https://ossci-datasets.s3.amazonaws.com/mnist/",
                    new long[] {9_912_422, 28_881, 1_648_877, 4_542},
                    "f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"),
            idx("fashion", "Fashion-MNIST clothing images, 60,000 train / 10,000 test, 28x28 grey (30 MB)",
                    "https://github.com/zalandoresearch/fashion-mnist",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
                    new long[] {26_421_880, 29_515, 4_422_102, 5_148},
                    "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"),
            new DataSet("cifar10", "CIFAR-10 binary version, 50,000 train / 10,000 test, 32x32 colour (163 MB)",
                    "https://www.cs.toronto.edu/~kriz/cifar.html",
                    "https://www.cs.toronto.edu/~kriz/", List.of(
                    new RemoteFile("cifar-10-binary.tar.gz", "cifar-10-binary.tar.gz", 170_052_171, "c32a1d4ab5d03f1284b67883e8d87530")),
                    true, List.of("cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin",
                            "cifar-10-batches-bin/data_batch_3.bin", "cifar-10-batches-bin/data_batch_4.bin",
                            "cifar-10-batches-bin/data_batch_5.bin", "cifar-10-batches-bin/test_batch.bin")));

    /**
     * An MNIST-style set: the four files as published (train-*, t10k-*), stored as
     * {@code NAME-train-*} and {@code NAME-test-*}, the names the IDX plugins read.
     */
    private static DataSet idx(String name, String description, String home, String baseUrl, long[] sizes, String... md5s) {
        String[][] files = {{"train", "train-images-idx3"}, {"train", "train-labels-idx1"}, {"t10k", "test-images-idx3"},
                {"t10k", "test-labels-idx1"}};
        List<RemoteFile> remote = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            String stored = name + "-" + files[i][1] + "-ubyte.gz";
            String published = files[i][0] + files[i][1].substring(files[i][1].indexOf('-')) + "-ubyte.gz";
            remote.add(new RemoteFile(published, stored, sizes[i], md5s[i]));
        }
        return new DataSet(name, description, home, baseUrl, List.copyOf(remote), false,
                remote.stream().map(RemoteFile::storedAs).toList());
    }

    /** Bytes of the downloads already under {@code root}: whole files, and the {@code .part} of an interrupted one. */
    public long bytesIn(Path root) {
        long have = 0;
        for (RemoteFile f : files) {
            Path target = root.resolve(f.storedAs());
            Path part = Download.part(target);
            try {
                if (Files.isRegularFile(target)) have += f.size();
                else if (Files.isRegularFile(part)) have += Math.min(f.size(), Files.size(part));
            } catch (java.io.IOException e) {
                // unreadable: it will be downloaded again
            }
        }
        return have;
    }

    public static DataSet named(String name) {
        for (DataSet d : ALL) if (d.name.equals(name)) return d;
        return null;
    }

    public static List<String> names() { return ALL.stream().map(DataSet::name).toList(); }

    /** How many of the files the plugins read are under {@code root}. */
    public long presentIn(Path root) {
        return present.stream().filter(f -> Files.isRegularFile(root.resolve(f))).count();
    }
}
