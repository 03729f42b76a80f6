package org.sdex.core.config;

/** Where a setting was written: a script and line, or a command-line override. */
public record SourceLocation(String file, int line) {
    public static final SourceLocation UNKNOWN = new SourceLocation("<unknown>", 0);

    public static SourceLocation override(String assignment) { return new SourceLocation("--set " + assignment, 0); }

    /** Written on the command line ({@code --set}) rather than in the script. */
    public boolean isOverride() { return file.startsWith("--set "); }

    @Override
    public String toString() { return line > 0 ? file + ":" + line : file; }
}
