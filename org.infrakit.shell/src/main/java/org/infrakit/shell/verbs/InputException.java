package org.infrakit.shell.verbs;

import java.io.Serial;

/**
 * Bad usage or bad input: an unknown verb or option, a missing argument, a file that cannot be
 * read, text that is not JSON or not of the expected shape. The message is the one line to show.
 */
public class InputException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message the one line to show */
    public InputException(String message) {
        super(message);
    }

    /**
     * @param message the one line to show
     * @param cause the underlying failure, for logs only
     */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
