package org.infrakit.conformance.impl;

/** A check's finding: what the protocol asks for and what came back. */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    Failure(String expected, String actual) {
        super("expected " + expected + ", got " + actual, null, false, false);
        this.expected = expected;
        this.actual = actual;
    }

    String expected() {
        return expected;
    }

    String actual() {
        return actual;
    }
}
