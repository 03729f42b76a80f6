package org.sdex.core.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's {@code torch.save} files (the zip format of PyTorch 1.6 and later): {@code <name>/data.pkl}
 * is the pickled object, {@code <name>/data/<key>} the raw storages, {@code <name>/byteorder} their
 * byte order. Read through {@link RestrictedUnpickler}, so a file can describe tensors and containers
 * but cannot run anything. Written as an ordered dict of tensors that {@code torch.load(f,
 * weights_only=True)} accepts.
 */
public final class TorchFile {
    /** Largest pickle read (a state dict's pickle is a few hundred kilobytes; its tensors live outside it). */
    static final long MAX_PICKLE = 256L << 20;
    private static final byte[] ZIP = {'P', 'K', 3, 4};

    private TorchFile() {}

    private record Storage(String key, Dtype dtype, long numel) {}

    /**
     * The object of a PyTorch file with every tensor as a {@link HostTensor} (C order, little-endian):
     * dicts as {@code Map}, lists as {@code List}, tuples as {@link RestrictedUnpickler.Tuple}.
     */
    public static Object read(Path file) {
        String name = file.getFileName().toString();
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n == 4 && !java.util.Arrays.equals(head, ZIP)) {
                if ((head[0] & 0xff) == 0x80) {
                    throw new WeightFileException(name + ": a PyTorch file in the legacy (pre-1.6) format, which sdex does not read;"
                            + " re-save it with torch.save(torch.load(f), f2) from PyTorch 1.6 or later");
                }
                throw new WeightFileException(name + ": not a PyTorch file (no zip archive)");
            }
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read (" + e.getMessage() + ")");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(zip, name);
        } catch (ZipException e) {
            throw new WeightFileException(name + ": corrupt or truncated zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static Object read(ZipFile zip, String name) throws IOException {
        String prefix = null;
        for (Enumeration<? extends ZipEntry> es = zip.entries(); es.hasMoreElements(); ) {
            String n = es.nextElement().getName();
            if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl")) && n.indexOf('/') == n.lastIndexOf('/')) {
                if (prefix != null) throw new WeightFileException(name + ": holds more than one data.pkl");
                prefix = n.substring(0, n.length() - "data.pkl".length());
            }
        }
        if (prefix == null) throw new WeightFileException(name + ": a zip archive without data.pkl, not a PyTorch file");
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        if (order != null) {
            String o = new String(entry(zip, order, 16, name), StandardCharsets.US_ASCII).trim();
            if (o.equals("big")) byteOrder = ByteOrder.BIG_ENDIAN;
            else if (!o.equals("little")) throw new WeightFileException(name + ": unknown byte order '" + o + "'");
        }
        byte[] pickle = entry(zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE, name);
        String base = prefix;
        ByteOrder storedOrder = byteOrder;
        Map<String, byte[]> loaded = new HashMap<>();
        return RestrictedUnpickler.load(pickle, new RestrictedUnpickler.Tensors() {
            @Override
            public Object storage(RestrictedUnpickler.Tuple pid) {
                List<Object> p = pid.items();
                if (p.size() != 5 || !"storage".equals(p.get(0)) || !(p.get(1) instanceof RestrictedUnpickler.Global g)
                        || !(p.get(2) instanceof String key) || !(p.get(4) instanceof Long numel) || numel < 0) {
                    throw new WeightFileException(name + ": has a persistent id that is not a PyTorch storage");
                }
                return new Storage(key, Dtype.ofTorchStorage(g.name()), numel);
            }

            @Override
            public Object tensor(Object storage, long offset, long[] size, long[] stride) {
                if (!(storage instanceof Storage s)) throw new WeightFileException(name + ": rebuilds a tensor from something that is not a storage");
                byte[] bytes = loaded.get(s.key());
                if (bytes == null) {
                    ZipEntry e = zip.getEntry(base + "data/" + s.key());
                    if (e == null) throw new WeightFileException(name + ": storage '" + s.key() + "' is missing from the archive");
                    long want = Math.multiplyExact(s.numel(), s.dtype().size());
                    try {
                        bytes = entry(zip, e, want, name);
                    } catch (IOException x) {
                        throw new WeightFileException(name + ": cannot read storage '" + s.key() + "' (" + x.getMessage() + ")");
                    }
                    if (bytes.length != want) {
                        throw new WeightFileException(name + ": storage '" + s.key() + "' has " + bytes.length
                                + " bytes, its header says " + want);
                    }
                    loaded.put(s.key(), bytes);
                }
                return gather(s, bytes, storedOrder, offset, size, stride, name);
            }
        }, name);
    }

    /** The tensor's elements in C order, checked to lie inside the storage. */
    private static HostTensor gather(Storage s, byte[] bytes, ByteOrder order, long offset, long[] size, long[] stride, String name) {
        if (size.length != stride.length) throw new WeightFileException(name + ": a tensor's size and stride differ in length");
        long numel = HostTensor.numel(size);
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (stride[i] < 0) throw new WeightFileException(name + ": a tensor has a negative stride");
            if (size[i] > 0) last += (size[i] - 1) * stride[i];
        }
        if (offset < 0 || (numel > 0 && last >= s.numel())) {
            throw new WeightFileException(name + ": a tensor reaches past the end of storage '" + s.key() + "'");
        }
        int k = s.dtype().size();
        // a view may be larger than its storage (stride 0: an expanded tensor); past one Java array it is refused
        if (numel > (Integer.MAX_VALUE - 8) / k) {
            throw new WeightFileException(name + ": a tensor of " + numel + " elements is larger than sdex reads (2 GB per tensor)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) (numel * k));
        int[] idx = new int[size.length];
        for (long i = 0; i < numel; i++) {
            long at = offset;
            for (int d = 0; d < size.length; d++) at += idx[d] * stride[d];
            int from = Math.toIntExact(at * k);
            if (order == ByteOrder.BIG_ENDIAN) for (int b = k - 1; b >= 0; b--) out.put(bytes[from + b]);
            else out.put(bytes, from, k);
            for (int d = size.length - 1; d >= 0 && ++idx[d] == size[d]; d--) idx[d] = 0;
        }
        out.flip();
        return new HostTensor(s.dtype(), size, out);
    }

    /** An entry's bytes, refusing entries larger than {@code limit} (a zip's sizes are the writer's word). */
    private static byte[] entry(ZipFile zip, ZipEntry e, long limit, String name) throws IOException {
        if (e.getSize() > limit) throw new WeightFileException(name + ": entry " + e.getName() + " is larger than expected");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (b.length > limit) throw new WeightFileException(name + ": entry " + e.getName() + " is larger than expected");
            return b;
        }
    }

    /** Writes {@code tensors} as an ordered dict (a state dict) in PyTorch's zip format, atomically. */
    public static void write(Path file, Map<String, HostTensor> tensors) throws IOException {
        String top = "archive/";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
            PickleWriter p = new PickleWriter();
            List<HostTensor> storages = new ArrayList<>();
            p.proto().global("collections", "OrderedDict").emptyTuple().reduce().mark();
            for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
                HostTensor t = e.getValue();
                p.string(e.getKey());
                p.global("torch._utils", "_rebuild_tensor_v2").mark();
                p.mark().string("storage").global("torch", t.dtype().torchStorage()).string(String.valueOf(storages.size()))
                        .string("cpu").integer(t.numel()).tuple().persistentId();
                p.integer(0).mark();
                long[] shape = t.shape();
                for (long s : shape) p.integer(s);
                p.tuple().mark();
                long stride = 1;
                long[] strides = new long[shape.length];
                for (int i = shape.length - 1; i >= 0; i--) { strides[i] = stride; stride *= shape[i]; }
                for (long s : strides) p.integer(s);
                p.tuple().bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
                storages.add(t);
            }
            p.setItems().stop();
            stored(zip, top + "data.pkl", p.bytes());
            stored(zip, top + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                ByteBuffer d = storages.get(i).data().duplicate();
                byte[] b = new byte[d.remaining()];
                d.get(b);
                stored(zip, top + "data/" + i, b);
            }
            stored(zip, top + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** An uncompressed entry, as PyTorch writes them. */
    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The pickle opcodes {@link #write} needs (protocol 2). */
    static final class PickleWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        PickleWriter proto() { out.write(0x80); out.write(2); return this; }

        PickleWriter global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        PickleWriter mark() { out.write('('); return this; }

        PickleWriter tuple() { out.write('t'); return this; }

        PickleWriter emptyTuple() { out.write(')'); return this; }

        PickleWriter reduce() { out.write('R'); return this; }

        PickleWriter persistentId() { out.write('Q'); return this; }

        PickleWriter setItems() { out.write('u'); return this; }

        PickleWriter stop() { out.write('.'); return this; }

        PickleWriter bool(boolean b) { out.write(b ? 0x88 : 0x89); return this; }

        PickleWriter string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            le(b.length, 4);
            out.writeBytes(b);
            return this;
        }

        PickleWriter integer(long v) {
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write('J');
                le(v, 4);
            } else {
                out.write(0x8a);
                out.write(8);
                le(v, 8);
            }
            return this;
        }

        private void le(long v, int n) { for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)) & 0xff); }

        byte[] bytes() { return out.toByteArray(); }
    }
}
