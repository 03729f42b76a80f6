package org.sdex.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.SourceLocation;

/**
 * Base class of experiment scripts (set by {@link ExperimentLoader}): provides the one top-level
 * keyword, {@code experiment('name') { ... }}. Everything else at the top level is plain Groovy,
 * so scripts can compute values and define helper methods.
 */
public abstract class ExperimentScript extends Script {
    private ScriptContext sdexContext;
    private ExperimentConfig sdexExperiment;

    /** Declares the script's experiment; exactly one per script. */
    public void experiment(String name, @DelegatesTo(value = ExperimentSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourceLocation where = sdexContext.here();
        if (sdexExperiment != null) {
            throw new ConfigException(where, "only one experiment per script; the first is at line " + sdexExperiment.location.line());
        }
        ExperimentConfig config = new ExperimentConfig();
        config.name = name;
        config.script = sdexContext.file();
        config.location = where;
        sdexExperiment = config;
        new ExperimentSpec(sdexContext, config).readBody(body);
    }

    public void experiment(Closure<?> body) {
        throw new ConfigException(sdexContext.here(), "the experiment needs a name: experiment('my_name') { ... }");
    }

    public void experiment(String name) {
        throw new ConfigException(sdexContext.here(), "experiment '" + name + "' has no body: experiment('" + name + "') { ... }");
    }

    void sdexBind(ScriptContext context) { this.sdexContext = context; }

    ExperimentConfig sdexExperiment() { return sdexExperiment; }
}
