package org.sdex.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An experiment as written (by the Groovy DSL or by hand), before validation: the chosen data,
 * SDE and model plugins, and the raw settings of each block. Blocks not written are absent: an
 * experiment without {@code train} uses an analytic model; one without {@code sample} only trains.
 * {@link org.sdex.core.run.ExperimentValidator} turns it into a fully checked plan.
 */
public final class ExperimentConfig {
    public String name;
    public String script;
    public SourceLocation location = SourceLocation.UNKNOWN;
    public PluginRef data;
    public PluginRef sde;
    public PluginRef model;
    /** Blocks by name: "train", "sample", "likelihood" (the blocks of {@link org.sdex.core.vocabulary.Vocabulary#EXPERIMENT}). */
    public final Map<String, Section> sections = new LinkedHashMap<>();
    public Long seed;
    public SourceLocation seedLocation = SourceLocation.UNKNOWN;
    /** The {@code sweep { }} block, or null; {@code sdex run} ignores it, {@code sdex sweep} expands it. */
    public org.sdex.core.sweep.SweepDeclaration sweep;

    public Section section(String name) { return sections.get(name); }

    /** The top-level plugin chosen by this keyword ({@code data}, {@code sde}, {@code model}), or null. */
    public PluginRef plugin(String keyword) {
        return switch (keyword) {
            case "data" -> data;
            case "sde" -> sde;
            case "model" -> model;
            default -> throw new IllegalArgumentException("no top-level plugin keyword '" + keyword + "'");
        };
    }

    public void choose(String keyword, PluginRef ref) {
        switch (keyword) {
            case "data" -> data = ref;
            case "sde" -> sde = ref;
            case "model" -> model = ref;
            default -> throw new IllegalArgumentException("no top-level plugin keyword '" + keyword + "'");
        }
    }

    public Section sectionOrCreate(String name, SourceLocation where) {
        return sections.computeIfAbsent(name, k -> {
            Section s = new Section();
            s.location = where;
            return s;
        });
    }

    public ExperimentConfig copy() {
        ExperimentConfig c = new ExperimentConfig();
        c.name = name;
        c.script = script;
        c.location = location;
        c.data = data == null ? null : data.copy();
        c.sde = sde == null ? null : sde.copy();
        c.model = model == null ? null : model.copy();
        sections.forEach((k, v) -> c.sections.put(k, v.copy()));
        c.seed = seed;
        c.seedLocation = seedLocation;
        c.sweep = sweep == null ? null : sweep.copy();
        return c;
    }
}
