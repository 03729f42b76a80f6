package org.sdex.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.sdex.cli.data.DataSet;
import org.sdex.cli.data.Download;
import org.sdex.cli.data.RemoteFile;
import org.sdex.cli.data.Unpack;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.Progress;

/**
 * {@code sdex data get NAME} downloads a public data set into the data root (verified, resumable,
 * atomic: see {@link Download}); {@code sdex data list} shows which are there.
 */
final class DataCommand implements Command {
    /** Where the files are fetched from instead of their publishers (a mirror, or a test server). */
    static final String MIRROR_ENV = "SDEX_DATA_MIRROR";

    @Override public String name() { return "data"; }

    @Override public String arguments() { return "get NAME | list [options]"; }

    @Override public String summary() { return "download a data set (" + String.join(", ", DataSet.names()) + ") or list what is present"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Command.data())
                .addOption(Option.builder().longOpt("mirror").hasArg().argName("URL")
                        .desc("fetch the files from URL/<file> instead of their publishers (default: $" + MIRROR_ENV + ")").build())
                .addOption(Option.builder().longOpt("no-progress").desc("no progress bar").build()));
    }

    @Override
    public int run(Invocation in) throws IOException {
        var args = in.line.getArgList();
        if (args.isEmpty()) throw new UsageException("missing get NAME or list");
        switch (args.get(0)) {
            case "list" -> {
                if (args.size() > 1) throw new UsageException("unexpected argument '" + args.get(1) + "'");
                list(in);
            }
            case "get" -> {
                if (args.size() < 2) throw new UsageException("missing NAME; data sets: " + String.join(", ", DataSet.names()));
                if (args.size() > 2) throw new UsageException("unexpected argument '" + args.get(2) + "'");
                get(in, args.get(1));
            }
            default -> throw new UsageException("unknown action '" + args.get(0) + "'; use get NAME or list");
        }
        return ExitCode.OK;
    }

    private static void list(Invocation in) {
        Path root = in.dataRoot();
        in.out.println("data root: " + root + " (" + in.dataRootOrigin() + ")");
        Table t = new Table("  ");
        for (DataSet d : DataSet.ALL) {
            long have = d.presentIn(root);
            String state = have == d.present().size() ? "present" : have == 0 ? "missing" : "incomplete (" + have + " of " + d.present().size() + " files)";
            t.add(d.name(), state, d.description());
        }
        in.out.print(t.render());
        in.out.println("get one with: sdex data get NAME [--data DIR]");
    }

    private static void get(Invocation in, String name) throws IOException {
        DataSet set = DataSet.named(name);
        if (set == null) {
            throw new SdexException("unknown data set '" + name + "'. Accepted: " + String.join(", ", DataSet.names()));
        }
        Path root = in.downloadRoot();
        Files.createDirectories(root);
        if (set.presentIn(root) == set.present().size()) {
            in.out.println(set.name() + " is already in " + root);
            return;
        }
        String mirror = in.option("mirror", in.env(MIRROR_ENV));
        String base = mirror == null || mirror.isBlank() ? set.baseUrl() : mirror.endsWith("/") ? mirror : mirror + "/";
        long total = set.files().stream().mapToLong(RemoteFile::size).sum();
        Download download = new Download(Download.client());
        long done = 0;
        try (ProgressBar bar = in.flag("no-progress") ? null : bar(set.name(), total, set.bytesIn(root))) {
            for (RemoteFile f : set.files()) {
                Path target = root.resolve(f.storedAs());
                if (Files.isRegularFile(target)) {
                    done += f.size();
                    continue;
                }
                long before = done;
                download.fetch(URI.create(base + f.remoteName()), target, f.size(), f.md5(), n -> {
                    if (bar != null) bar.stepTo(before + n);
                });
                done += f.size();
            }
        }
        if (set.unpack()) {
            for (RemoteFile f : set.files()) Unpack.tarGz(root.resolve(f.storedAs()), root);
        }
        in.out.println(set.name() + ": " + set.files().size() + " file(s) verified in " + root + " (from " + base + ")");
    }

    /** Starts at the bytes already here, so that rate and ETA are those of this download. */
    private static ProgressBar bar(String task, long bytes, long here) {
        return Progress.builder(task, bytes, here).setUnit(" MB", 1 << 20).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
