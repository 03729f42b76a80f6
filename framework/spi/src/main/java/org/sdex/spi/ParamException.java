package org.sdex.spi;

/** A setting that does not fit a plugin's declared parameters; the message is one line for the user. */
public class ParamException extends IllegalArgumentException {
    private final String param;

    public ParamException(String param, String message) {
        super(message);
        this.param = param;
    }

    /** The offending parameter's name, or null when the problem is not about one parameter. */
    public String param() { return param; }
}
