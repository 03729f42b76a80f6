package org.sdex.spi;

import java.util.List;

/**
 * What every plugin declares about itself: a snake_case name unique within its kind, a version,
 * one line of description and its typed parameters. The kernel validates user settings against
 * {@link #parameters()} before any compute, so a plugin receives only well-typed, in-range values.
 */
public interface Plugin {
    String name();

    PluginKind kind();

    String description();

    default String version() { return "1.0"; }

    default List<Param> parameters() { return List.of(); }
}
