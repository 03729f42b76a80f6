package org.sdex.dsl;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.error.SdexException;

/**
 * Evaluates an experiment script into a raw {@link ExperimentConfig}. Whatever goes wrong in the
 * script (syntax, a DSL mistake, an exception in the user's own code) comes out as one
 * {@link ConfigException} naming the script and line; the config is validated afterwards.
 */
public final class ExperimentLoader {
    private ExperimentLoader() {}

    /** The largest script evaluated; experiment scripts are a page or two. */
    static final int MAX_SCRIPT_BYTES = 1 << 20;

    /** Evaluates a script in the restricted DSL ({@link ScriptPolicy}), in this process. */
    public static ExperimentConfig load(Path script) {
        return parse(read(script), script.getFileName().toString());
    }

    /** Evaluates a script as full Groovy: only for scripts the user trusts (--trusted). */
    public static ExperimentConfig loadTrusted(Path script) {
        return evaluate(read(script), script.getFileName().toString(), false);
    }

    /**
     * The script's text, checked: it exists, is at most {@link #MAX_SCRIPT_BYTES}, and is UTF-8 text
     * (a binary or UTF-16 file would otherwise fail later with a decoder's "Input length = 1").
     */
    public static String read(Path script) {
        byte[] bytes;
        try {
            long size = Files.size(script);
            if (size > MAX_SCRIPT_BYTES) {
                throw new SdexException(script + ": " + String.format("%.1f", size / 1048576.0)
                        + " MB; an experiment script may be at most 1 MB (keep data in files the experiment names)");
            }
            bytes = Files.readAllBytes(script);
        } catch (NoSuchFileException e) {
            throw new SdexException("no such experiment script: " + script);
        } catch (IOException e) {
            throw new SdexException("cannot read " + script + ": " + e.getMessage(), e);
        }
        for (byte b : bytes) {
            if (b == 0) throw new SdexException(script + ": not a UTF-8 text file (it contains NUL bytes; binary or UTF-16?)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SdexException(script + ": not a UTF-8 text file; save it as UTF-8");
        }
    }

    /** Evaluates script text in the restricted DSL; {@code fileName} names the script in messages and in stack frames. */
    public static ExperimentConfig parse(String source, String fileName) {
        return evaluate(source, fileName, true);
    }

    /** Evaluates script text as full Groovy. */
    public static ExperimentConfig parseTrusted(String source, String fileName) {
        return evaluate(source, fileName, false);
    }

    private static ExperimentConfig evaluate(String source, String fileName, boolean restricted) {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(ExperimentScript.class.getName());
        if (restricted) ScriptPolicy.restrict(cc);
        GroovyShell shell = new GroovyShell(ExperimentLoader.class.getClassLoader(), new Binding(), cc);
        ExperimentScript script;
        try {
            script = (ExperimentScript) shell.parse(new StringReader(source), fileName);
        } catch (CompilationFailedException e) {
            throw syntaxError(e, fileName, source);
        }
        ScriptContext context = new ScriptContext(fileName, script);
        script.sdexBind(context);
        try {
            script.run();
        } catch (ConfigException e) {
            throw e;
        } catch (Exception | StackOverflowError | AssertionError e) {
            ConfigException ours = find(e, ConfigException.class);
            if (ours != null) throw ours;
            ConfigException wrapped = new ConfigException(context.where(e), firstLine(describe(e)));
            wrapped.initCause(e);
            throw wrapped;
        }
        ExperimentConfig config = script.sdexExperiment();
        if (config == null) {
            throw new ConfigException(new SourceLocation(fileName, 0),
                    "no experiment in this script; declare one with experiment('name') { ... }");
        }
        return config;
    }

    private static ConfigException syntaxError(CompilationFailedException e, String fileName, String source) {
        int line = 0;
        String message = e.getMessage();
        if (e instanceof MultipleCompilationErrorsException m && m.getErrorCollector().getErrorCount() > 0) {
            Message first = m.getErrorCollector().getError(0);
            // a construct the restricted DSL refuses: already one line at its script line
            if (first instanceof ExceptionMessage x && x.getCause() instanceof ConfigException refused) return refused;
            if (first instanceof SyntaxErrorMessage s) {
                SyntaxException cause = s.getCause();
                line = cause.getLine();
                message = cause.getOriginalMessage();
            }
        }
        int lines = (int) source.lines().count();
        if (line > lines) {
            line = lines;
            message = "unexpected end of the script; is a '}' or ')' missing?";
        } else {
            message = lastInputLine(firstLine(message));
        }
        ConfigException out = new ConfigException(new SourceLocation(fileName, line), "syntax error: " + message);
        out.initCause(e);
        return out;
    }

    /**
     * Groovy's parser quotes everything from the start of the enclosing expression, with newlines
     * escaped ("Unexpected input: '('x') {\n    data ...\n    sde 'vp', betaMax: 20)'"); the
     * last line of the quote is where it stopped, on the reported line.
     */
    private static String lastInputLine(String message) {
        Matcher m = UNEXPECTED_INPUT.matcher(message);
        if (!m.matches()) return message;
        String[] parts = m.group(2).split("\\\\[nr]");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isBlank()) return m.group(1) + "'" + parts[i].strip() + "'";
        }
        return message;
    }

    private static final Pattern UNEXPECTED_INPUT = Pattern.compile("(Unexpected input: )'(.*)'", Pattern.DOTALL);

    /** Groovy wraps exceptions thrown through reflective calls; the user's exception is inside. */
    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof org.codehaus.groovy.runtime.InvokerInvocationException && t.getCause() != null) t = t.getCause();
        if (t instanceof StackOverflowError) return "recursion too deep (the stack overflowed)";
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
