package org.sdex.spi;

/** Value types a plugin parameter can take. */
public enum ParamType {
    REAL("a number"),
    INT("an integer"),
    BOOL("true or false"),
    STRING("a string"),
    CHOICE("one of the listed names"),
    REALS("a list of numbers"),
    INTS("a list of integers"),
    /** A nested list of numbers of a fixed rank, e.g. the means (rank 2) of a mixture. */
    TENSOR("a nested list of numbers");

    private final String phrase;

    ParamType(String phrase) { this.phrase = phrase; }

    public String phrase() { return phrase; }
}
