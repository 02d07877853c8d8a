package org.infrakit.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard input is a terminal, without native code. */
final class Terminal {
    private static final Path STDIN_LINK = Path.of("/proc/self/fd/0");

    private Terminal() {
    }

    /**
     * Reads what file descriptor 0 points at (Linux {@code /proc}). Where there is no {@code /proc}
     * (macOS), falls back to {@link System#console()}, which on Java 17 is present only when
     * standard input <em>and</em> standard output are terminals.
     *
     * @return whether standard input is a terminal
     */
    static boolean stdinIsTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(STDIN_LINK).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /**
     * @param target the target of {@code /proc/self/fd/0}: a path, or e.g. {@code pipe:[1234]}
     * @return whether it names a terminal device
     */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
