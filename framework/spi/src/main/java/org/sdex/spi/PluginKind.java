package org.sdex.spi;

/** The kinds of extension sdex has; each plugin is exactly one kind, named as in the DSL. */
public enum PluginKind {
    SDE("sde"),
    MODEL("model"),
    PREDICTOR("predictor"),
    CORRECTOR("corrector"),
    ODE_SOLVER("ode"),
    SOLVER("solver"),
    GUIDE("guide"),
    OPERATOR("operator"),
    DATASET("data");

    private final String label;

    PluginKind(String label) { this.label = label; }

    /** The word used for this kind in the DSL, on the command line and in messages. */
    public String label() { return label; }
}
