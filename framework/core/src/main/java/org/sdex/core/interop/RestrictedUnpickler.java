package org.sdex.core.interop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the pickle inside a PyTorch checkpoint without running anything: only tensors, storages,
 * ordered dicts and plain containers (dict, list, tuple, str, int, float, bool, None) are rebuilt.
 * Python's unpickler calls whatever class or function a file names (an {@code os.system} global with
 * a {@code REDUCE} runs a shell); here every global outside a short allow-list is refused by name,
 * and the allowed ones are interpreted, never looked up or called.
 */
public final class RestrictedUnpickler {
    /** A Python tuple (kept apart from lists: sizes and strides are tuples). */
    public record Tuple(List<Object> items) {}

    /** What the file's persistent ids and tensors become; given by the container format. */
    public interface Tensors {
        /** A persistent id: for PyTorch, ('storage', storage type, key, location, numel). */
        Object storage(Tuple persistentId);

        /** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...). */
        Object tensor(Object storage, long offset, long[] size, long[] stride);
    }

    /** A global the file names (only allowed ones are ever made). */
    public record Global(String module, String name) {
        String qualified() { return module + "." + name; }
    }

    private static final Object MARK = new Object();
    private static final Set<String> ALLOWED = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state");

    private final ByteBuffer in;
    private final Tensors tensors;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final String file;

    private RestrictedUnpickler(byte[] bytes, Tensors tensors, String file) {
        this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.tensors = tensors;
        this.file = file;
    }

    /** The object the pickle describes; {@code file} names it in errors. */
    public static Object load(byte[] pickle, Tensors tensors, String file) {
        return new RestrictedUnpickler(pickle, tensors, file).run();
    }

    private Object run() {
        try {
            while (true) {
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO
                    case 0x95 -> in.getLong(); // FRAME: a length hint only
                    case '.' -> { // STOP
                        if (stack.size() != 1) throw bad("ends with " + stack.size() + " values on the stack");
                        return stack.get(0);
                    }
                    case '}' -> push(new LinkedHashMap<>());
                    case ']' -> push(new ArrayList<>());
                    case ')' -> push(new Tuple(List.of()));
                    case '(' -> push(MARK);
                    case 'N' -> push(null);
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 'J' -> push((long) in.getInt());
                    case 'K' -> push((long) (in.get() & 0xff));
                    case 'M' -> push((long) (in.getShort() & 0xffff));
                    case 0x8a -> push(long1(in.get() & 0xff));
                    case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
                    case 'X' -> push(text(in.getInt() & 0xffffffffL));
                    case 0x8c -> push(text(in.get() & 0xff));
                    case 0x8d -> push(text(in.getLong()));
                    case 'U' -> push(latin1(in.get() & 0xff));
                    case 'T' -> push(latin1(in.getInt() & 0xffffffffL));
                    case 'C' -> push(bytes(in.get() & 0xff));
                    case 'B' -> push(bytes(in.getInt() & 0xffffffffL));
                    case 0x85 -> push(new Tuple(popN(1)));
                    case 0x86 -> push(new Tuple(popN(2)));
                    case 0x87 -> push(new Tuple(popN(3)));
                    case 't' -> push(new Tuple(popMark()));
                    case 'l' -> push(new ArrayList<>(popMark()));
                    case 'd' -> push(dictOf(popMark()));
                    case 'a' -> { Object v = pop(); list(peek()).add(v); }
                    case 'e' -> { List<Object> vs = popMark(); list(peek()).addAll(vs); }
                    case 's' -> { Object v = pop(); Object k = pop(); map(peek()).put(key(k), v); }
                    case 'u' -> { List<Object> kv = popMark(); map(peek()).putAll(dictOf(kv)); }
                    case 'q' -> memo.put((long) (in.get() & 0xff), peek());
                    case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
                    case 0x94 -> memo.put((long) memo.size(), peek());
                    case 'h' -> push(recall(in.get() & 0xff));
                    case 'j' -> push(recall(in.getInt() & 0xffffffffL));
                    case 'c' -> push(global(line(), line()));
                    case 0x93 -> { Object name = pop(); Object module = pop(); push(global(string(module), string(name))); }
                    case 'R' -> { Object args = pop(); Object f = pop(); push(reduce(f, args)); }
                    case 'Q' -> { Object pid = pop(); push(tensors.storage(tuple(pid, "persistent id"))); }
                    case 'b' -> build(pop(), peek());
                    case '0' -> pop();
                    case '2' -> push(peek());
                    default -> throw bad(String.format("has pickle opcode 0x%02x, which sdex does not read", op));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw bad("is truncated (the pickle ends before its STOP)");
        }
    }

    private Object global(String module, String name) {
        Global g = new Global(module, name);
        if (module.equals("torch") && Dtype.ofTorchStorage(name) != null) return g;
        if (!ALLOWED.contains(g.qualified())) {
            throw bad("refers to " + g.qualified() + "; sdex only rebuilds tensors, ordered dicts and plain containers,"
                    + " so it refused to load the file (nothing was run)");
        }
        return g;
    }

    private Object reduce(Object f, Object args) {
        if (!(f instanceof Global g)) throw bad("calls a " + kind(f) + "; only allowed globals may be called");
        List<Object> a = tuple(args, "arguments of " + g.qualified()).items();
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (a.isEmpty()) return new LinkedHashMap<>();
                if (a.size() == 1 && a.get(0) instanceof List<?> pairs) {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (Object p : pairs) {
                        List<Object> kv = tuple(p, "an OrderedDict item").items();
                        if (kv.size() != 2) throw bad("has an OrderedDict item of " + kv.size() + " values");
                        m.put(key(kv.get(0)), kv.get(1));
                    }
                    return m;
                }
                throw bad("builds an OrderedDict from " + a.size() + " arguments");
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4) throw bad("rebuilds a tensor from " + a.size() + " arguments");
                return tensors.tensor(a.get(0), integer(a.get(1)), longs(a.get(2)), longs(a.get(3)));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (a.isEmpty()) throw bad("rebuilds a parameter from no arguments");
                return a.get(0);
            }
            default -> throw bad("calls " + g.qualified() + ", which is not a function");
        }
    }

    /** BUILD sets an object's state: only an ordered dict's (its _metadata attribute), which sdex does not need. */
    private void build(Object state, Object target) {
        if (!(target instanceof Map)) throw bad("sets the state of a " + kind(target));
        if (state != null && !(state instanceof Map)) throw bad("sets a dict's state to a " + kind(state));
    }

    private Object recall(long index) {
        if (!memo.containsKey(index)) throw bad("refers to memo entry " + index + ", which was never stored");
        return memo.get(index);
    }

    private long long1(int n) {
        if (n > 8) throw bad("has an integer of " + n + " bytes");
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v |= -1L << (8 * n); // sign-extend
        return v;
    }

    private byte[] bytes(long n) {
        if (n < 0 || n > in.remaining()) throw bad("is truncated (a string runs past the end)");
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private String text(long n) { return new String(bytes(n), StandardCharsets.UTF_8); }

    private String latin1(long n) { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    private String line() {
        StringBuilder s = new StringBuilder();
        for (byte b; (b = in.get()) != '\n'; ) {
            if (s.length() > 256) throw bad("has a global name longer than 256 characters");
            s.append((char) (b & 0xff));
        }
        return s.toString();
    }

    private void push(Object o) { stack.add(o); }

    private Object pop() {
        if (stack.isEmpty()) throw bad("pops an empty stack");
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) throw bad("uses a mark as a value");
        return o;
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw bad("reads an empty stack");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(0, pop());
        return out;
    }

    private List<Object> popMark() {
        int at = stack.lastIndexOf(MARK);
        if (at < 0) throw bad("has no mark where one is needed");
        List<Object> items = new ArrayList<>(stack.subList(at + 1, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    private Map<Object, Object> dictOf(List<Object> kv) {
        if (kv.size() % 2 != 0) throw bad("has a dict with an odd number of keys and values");
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
        return m;
    }

    /** Keys are values Java compares by value (the memo would otherwise let a list be a key). */
    private Object key(Object k) {
        if (k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean) return k;
        throw bad("has a dict key of type " + kind(k));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof List<?> l && !(o instanceof Tuple)) return (List<Object>) l;
        throw bad("appends to a " + kind(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw bad("sets an item of a " + kind(o));
    }

    private Tuple tuple(Object o, String what) {
        if (o instanceof Tuple t) return t;
        throw bad("has a " + kind(o) + " as the " + what);
    }

    private String string(Object o) {
        if (o instanceof String s) return s;
        throw bad("names a global with a " + kind(o));
    }

    private long integer(Object o) {
        if (o instanceof Long l) return l;
        throw bad("has a " + kind(o) + " where an integer belongs");
    }

    private long[] longs(Object o) {
        List<Object> items = tuple(o, "tensor size or stride").items();
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(items.get(i));
        return out;
    }

    private static String kind(Object o) {
        if (o == null) return "None";
        if (o instanceof Global g) return "global " + g.qualified();
        if (o instanceof Tuple) return "tuple";
        if (o instanceof Map) return "dict";
        if (o instanceof List) return "list";
        return o.getClass().getSimpleName();
    }

    private WeightFileException bad(String what) {
        return new WeightFileException(file + ": " + what);
    }
}
