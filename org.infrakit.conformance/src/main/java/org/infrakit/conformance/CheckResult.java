package org.infrakit.conformance;

import java.util.Objects;

/**
 * The outcome of one named check.
 *
 * @param name the check's name, e.g. {@code envelope.unknown-method} or {@code instance.label-merges}
 * @param status passed, failed or skipped
 * @param expected what the protocol asks for ({@code null} when it passed or was skipped)
 * @param actual what came back, or why the check was skipped ({@code null} when it passed)
 */
public record CheckResult(String name, Status status, String expected, String actual) {
    /** Passed, failed or skipped. */
    public enum Status {
        /** The plugin behaved as the protocol asks. */
        PASS,
        /** It did not. */
        FAIL,
        /** The check could not run, or was refused; {@code actual} says why. */
        SKIP
    }

    /** Canonical constructor: name and status are required. */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }

    /** @param name the check @return a passed check */
    public static CheckResult pass(String name) {
        return new CheckResult(name, Status.PASS, null, null);
    }

    /** @param name the check @param expected what the protocol asks @param actual what came back @return a failed check */
    public static CheckResult fail(String name, String expected, String actual) {
        return new CheckResult(name, Status.FAIL, expected, actual);
    }

    /** @param name the check @param why why it did not run @return a skipped check */
    public static CheckResult skip(String name, String why) {
        return new CheckResult(name, Status.SKIP, null, why);
    }

    /** @return {@code PASS name}, {@code FAIL name: expected ..., got ...} or {@code SKIP name: why} */
    public String line() {
        return switch (status) {
            case PASS -> "PASS " + name;
            case FAIL -> "FAIL " + name + ": expected " + expected + ", got " + actual;
            case SKIP -> "SKIP " + name + ": " + actual;
        };
    }
}
