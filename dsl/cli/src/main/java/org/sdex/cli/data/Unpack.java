package org.sdex.cli.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.sdex.core.error.SdexException;

/**
 * Unpacks a verified .tar.gz into a folder: its regular files only (no links, nothing outside the
 * folder), first into a temporary folder beside it that is renamed into place once complete; then
 * the archive is removed. The archive holds one top-level folder (CIFAR-10's cifar-10-batches-bin).
 */
public final class Unpack {
    private Unpack() {}

    public static void tarGz(Path archive, Path into) {
        Path tmp = into.resolve(".unpacking");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            String top = null;
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new BufferedInputStream(Files.newInputStream(archive), 1 << 16)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (!e.isFile()) continue;
                    Path out = tmp.resolve(e.getName()).normalize();
                    if (!out.startsWith(tmp) || out.equals(tmp)) {
                        throw new SdexException(archive + " has an entry outside its folder: " + e.getName());
                    }
                    top = tmp.relativize(out).getName(0).toString();
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (top == null) throw new SdexException(archive + " holds no files");
            Path dest = into.resolve(top);
            deleteTree(dest);
            Files.move(tmp.resolve(top), dest, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(tmp);
            Files.delete(archive);
        } catch (IOException e) {
            throw new SdexException("cannot unpack " + archive + " into " + into + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
