package org.infrakit.shell.verbs;

/**
 * What running a verb produced: the text for standard output, and on failure one line for standard
 * error and a non-zero exit code.
 *
 * <p>A front end prints {@link #output()} as it is (it ends with a line break, or is empty), then,
 * when the verb failed, {@link #error()} as one line, and exits with {@link #exitCode()}. Output
 * may be present on failure too: a verb over several instances reports those it handled before
 * the one that failed.
 *
 * @param exitCode {@link #OK}, {@link #FAILED}, {@link #USAGE} or {@link #UNAVAILABLE}
 * @param output the text for standard output; {@code ""} when none, never {@code null}
 * @param error on failure, one line saying what went wrong (no line break); {@code null} on success
 * @param cause the exception behind a failure, for a debug log only; usually {@code null}
 */
public record VerbResult(int exitCode, String output, String error, Throwable cause) {
    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code when the plugin reported a failure (or failed unexpectedly). */
    public static final int FAILED = 1;
    /** Exit code of bad usage or bad input: unknown verb or option, missing file, bad JSON. */
    public static final int USAGE = 2;
    /** Exit code when the plugin does not exist or could not be reached. */
    public static final int UNAVAILABLE = 3;

    /**
     * Canonical constructor.
     *
     * @throws IllegalArgumentException when a success carries an error, or a failure carries none
     */
    public VerbResult {
        output = output == null ? "" : output;
        if (exitCode == OK && error != null) {
            throw new IllegalArgumentException("a success carries no error");
        }
        if (exitCode != OK) {
            error = oneLine(error == null || error.isBlank() ? "failed" : error);
        }
    }

    /**
     * @param output the text for standard output
     * @return a success
     */
    public static VerbResult success(String output) {
        return new VerbResult(OK, output, null, null);
    }

    /**
     * @param exitCode the non-zero exit code
     * @param error what went wrong, one line (line breaks are folded)
     * @return a failure without output
     */
    public static VerbResult failure(int exitCode, String error) {
        return new VerbResult(exitCode, "", error, null);
    }

    /** @return whether the verb succeeded */
    public boolean ok() {
        return exitCode == OK;
    }

    /** @return the error line on failure, else the output */
    public String message() {
        return ok() ? output : error;
    }

    /**
     * Folds a message into one line: line breaks and the white space around them become one space.
     *
     * @param message any text, or {@code null}
     * @return the text on one line, trimmed; {@code ""} for {@code null}
     */
    public static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
