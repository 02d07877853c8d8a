package org.infrakit.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The entry point of the executable jar: {@code java -jar infrakit-cli.jar ARGS}, normally through
 * {@code bin/infrakit}. Runs {@link InfrakitCli} on the process's environment and streams and
 * exits with its exit code.
 */
public final class Main {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        // UTF-8 whatever the locale: instance IDs, tags and plugin messages may be any text
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = new InfrakitCli(System.getenv(), System.getProperty("user.home"),
                Path.of("").toAbsolutePath(), System.in, out, err).run(Arrays.asList(args));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Sets up slf4j-simple before the first logger exists: one line per message on standard
     * error, no dates; {@code level} as the 2017 CLI's {@code --log} (0-2 errors only, 3-4 also
     * warnings, 5 everything, including each RPC request and reply). A level set with
     * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
     *
     * @param level 0 to 5
     */
    static void configureLogging(int level) {
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, level >= InfrakitCli.TRACE_LEVEL ? "debug" : level >= 3 ? "warn" : "error");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
    }

    /** @return this client's version, from the jar's manifest; {@code unknown} outside the jar */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
