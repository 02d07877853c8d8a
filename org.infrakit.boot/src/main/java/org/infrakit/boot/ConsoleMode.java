package org.infrakit.boot;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Whether the runtime shows the Gogo prompt or runs headless.
 *
 * <p>Decided once at start, before the Gogo shell bundle starts: an explicit {@code gosh.args}
 * wins; else the property {@value #PROPERTY} ({@code shell}, {@code headless} or {@code auto});
 * {@code auto} (the default) means a shell when standard input is a terminal and headless
 * otherwise. Headless is Gogo's {@code --nointeractive}: the shell never reads standard input, so
 * an end of input (e.g. {@code </dev/null}) no longer stops the framework.
 */
enum ConsoleMode {
    /** The Gogo prompt on the console; Ctrl-D or {@code shutdown} stops the runtime. */
    SHELL,
    /** No prompt, standard input is not read; SIGTERM or SIGINT stops the runtime. */
    HEADLESS;

    /** The launch property choosing the mode: {@code shell}, {@code headless} or {@code auto}. */
    static final String PROPERTY = "infrakit.console";
    /** Gogo's framework property with the arguments of its console shell ({@code gosh}). */
    static final String GOSH_ARGS = "gosh.args";
    /** The {@code gosh} option for no interactive session. */
    static final String NO_INTERACTIVE = "--nointeractive";

    /**
     * @param goshArgs the {@code gosh.args} already set, or {@code null}
     * @param configured the value of {@value #PROPERTY}, or {@code null}
     * @param stdinIsTerminal whether standard input is a terminal (asked only for {@code auto})
     * @return the mode
     * @throws IllegalArgumentException when {@code configured} is not one of the three values
     */
    static ConsoleMode decide(String goshArgs, String configured, BooleanSupplier stdinIsTerminal) {
        if (goshArgs != null) {
            return goshArgs.contains(NO_INTERACTIVE) ? HEADLESS : SHELL;
        }
        String value = configured == null ? "" : configured.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "shell":
                return SHELL;
            case "headless":
                return HEADLESS;
            case "":
            case "auto":
                return stdinIsTerminal.getAsBoolean() ? SHELL : HEADLESS;
            default:
                throw new IllegalArgumentException("Invalid " + PROPERTY + " \"" + configured
                        + "\": use shell, headless or auto");
        }
    }
}
