package org.infrakit.boot.home;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Takes the {@link HomeLock} of the executable runtime jar before its launcher writes anything
 * (the launcher cleans and fills the bundle cache when it initialises the framework, before any
 * code of ours would otherwise run). The jar names this class in its {@code Launcher-Agent-Class}
 * header, so the JVM runs {@link #agentmain} on the main thread before the launcher's
 * {@code main}; it instruments nothing.
 *
 * <p>The home is the system property {@code infrakit.home}, else {@code $INFRAKIT_HOME}, else
 * {@code ~/.infrakit}: the directory the plugins keep their state in. When another runtime holds
 * it, one line goes to standard error and the JVM exits with {@value #REFUSED}.
 */
public final class HomeLockAgent {
    /** Exit status of a runtime refused because another one holds its home. */
    public static final int REFUSED = 3;

    /** Held for the life of the process: an unreachable channel would be closed, and its lock released. */
    private static HomeLock held;

    private HomeLockAgent() {
    }

    /**
     * @param args unused
     * @param instrumentation unused
     */
    public static void agentmain(String args, Instrumentation instrumentation) {
        Path home = home();
        try {
            held = HomeLock.acquire(home);
        } catch (HomeLock.HeldException e) {
            System.err.println("infrakit-runtime: " + e.getMessage());
            System.exit(REFUSED);
        } catch (IOException | RuntimeException e) {
            System.err.println("infrakit-runtime: cannot lock the home " + home + " (" + e + ")");
            System.exit(REFUSED);
        }
    }

    static Path home() {
        String h = System.getProperty("infrakit.home");
        if (h == null || h.isBlank()) {
            h = System.getenv("INFRAKIT_HOME");
        }
        if (h == null || h.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".infrakit");
        }
        return Path.of(h);
    }
}
