package org.sdex.dsl;

import groovy.lang.Binding;
import groovy.lang.Script;
import org.sdex.core.config.SourceLocation;

/**
 * The script being evaluated: its file name, which Groovy writes into every stack frame of the
 * script's code (closures included), so the line of any DSL call is found on the current stack.
 */
final class ScriptContext {
    private final String file;
    private final Script script;

    ScriptContext(String file, Script script) {
        this.file = file;
        this.script = script;
    }

    String file() { return file; }

    /** The script line currently executing: the innermost stack frame from the script's file. */
    SourceLocation here() {
        return locate(new Throwable().getStackTrace());
    }

    /** The script line where {@code t} (or the first of its causes that passed through the script) was thrown. */
    SourceLocation where(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            SourceLocation l = locate(c.getStackTrace());
            if (l.line() > 0) return l;
        }
        return new SourceLocation(file, 0);
    }

    private SourceLocation locate(StackTraceElement[] frames) {
        for (StackTraceElement f : frames) {
            if (file.equals(f.getFileName()) && f.getLineNumber() > 0) return new SourceLocation(file, f.getLineNumber());
        }
        return new SourceLocation(file, 0);
    }

    /** Whether the script itself defines a method (or a closure variable) callable with these arguments. */
    boolean scriptHasMethod(String name, Object[] args) {
        if (!script.getMetaClass().respondsTo(script, name, args).isEmpty()) return true;
        Binding b = script.getBinding();
        return b.hasVariable(name) && b.getVariable(name) instanceof groovy.lang.Closure;
    }

    Object callScript(String name, Object[] args) { return script.invokeMethod(name, args); }

    /** Variables assigned at the script's top level without {@code def} live in the binding. */
    boolean hasVariable(String name) { return script.getBinding().hasVariable(name); }

    Object variable(String name) { return script.getBinding().getVariable(name); }
}
