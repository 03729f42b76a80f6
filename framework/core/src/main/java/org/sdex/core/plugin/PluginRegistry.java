package org.sdex.core.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sdex.core.error.SdexException;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/**
 * Every plugin sdex can use, keyed by kind and name. Lookups of unknown names fail with the list of
 * what is available; two plugins sharing a kind and name are kept both, and using that name fails
 * naming both sources, so a stray jar can never silently replace a built-in.
 */
public final class PluginRegistry {

    /** A plugin and where it came from ("built-in" or the jar's path). */
    public record Entry(Plugin plugin, String source) {}

    private final Map<PluginKind, Map<String, List<Entry>>> byKind = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    public PluginRegistry() {
        for (PluginKind k : PluginKind.values()) byKind.put(k, new LinkedHashMap<>());
    }

    void add(Plugin plugin, String source) {
        List<Entry> same = byKind.get(plugin.kind()).computeIfAbsent(plugin.name(), n -> new ArrayList<>());
        same.add(new Entry(plugin, source));
        if (same.size() == 2) {
            problems.add("two " + plugin.kind().label() + " plugins named '" + plugin.name() + "': "
                    + same.get(0).source() + " and " + same.get(1).source());
        } else if (same.size() > 2) {
            problems.add("another " + plugin.kind().label() + " plugin named '" + plugin.name() + "': " + source);
        }
    }

    void problem(String message) { problems.add(message); }

    /** The plugin of this kind and name, or a one-line error listing the available names. */
    public Entry get(PluginKind kind, String name) {
        List<Entry> found = byKind.get(kind).get(name);
        if (found == null || found.isEmpty()) {
            List<String> names = names(kind);
            throw new SdexException("No " + kind.label() + " '" + name + "'. Available: "
                    + (names.isEmpty() ? "none (no " + kind.label() + " plugin is installed)" : String.join(", ", names)));
        }
        if (found.size() > 1) {
            throw new SdexException("Two " + kind.label() + " plugins are named '" + name + "': "
                    + found.stream().map(Entry::source).collect(Collectors.joining(" and ")) + "; remove one of them");
        }
        return found.get(0);
    }

    /** The plugin, cast to the interface its kind requires. */
    public <P extends Plugin> P plugin(PluginKind kind, String name, Class<P> type) {
        return type.cast(get(kind, name).plugin());
    }

    public boolean has(PluginKind kind, String name) { return byKind.get(kind).containsKey(name); }

    /** Names of one kind, sorted. */
    public List<String> names(PluginKind kind) {
        return byKind.get(kind).keySet().stream().sorted().toList();
    }

    /** All plugins of any kind with this name. */
    public List<Entry> named(String name) {
        List<Entry> out = new ArrayList<>();
        for (Map<String, List<Entry>> m : byKind.values()) out.addAll(m.getOrDefault(name, List.of()));
        return out;
    }

    /** Every plugin, by kind then name. */
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        for (Map<String, List<Entry>> m : byKind.values()) {
            m.values().stream().flatMap(List::stream)
                    .sorted(Comparator.comparing(e -> e.plugin().name()))
                    .forEach(out::add);
        }
        return out;
    }

    /** Jars that failed to load and duplicate names: reported, never fatal for the other plugins. */
    public List<String> problems() { return List.copyOf(problems); }
}
