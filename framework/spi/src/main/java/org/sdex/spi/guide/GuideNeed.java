package org.sdex.spi.guide;

/** Something a guide needs from the run, checked by the kernel before sampling with one line each. */
public enum GuideNeed {
    /** An observation y and its measurement operator. */
    MEASUREMENT("an observation and a measurement operator"),
    /** A linear operator with its singular value decomposition (SVD-space and replacement methods). */
    SVD("a linear measurement operator with a singular value decomposition"),
    /** A label for every sample. */
    LABELS("labels for the samples"),
    /** A noise-conditional classifier p_t(y | x). */
    CLASSIFIER("a noise-conditional classifier"),
    /** A score with input vector-Jacobian products ({@link org.sdex.spi.model.DifferentiableScore}). */
    SCORE_VJP("a score with input vector-Jacobian products"),
    /** A class-conditional score ({@link org.sdex.spi.model.ConditionalScore}). */
    CONDITIONAL_SCORE("a class-conditional score");

    private final String description;

    GuideNeed(String description) { this.description = description; }

    /** What is missing, in words for a one-line message. */
    public String description() { return description; }
}
