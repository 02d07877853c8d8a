package org.infrakit.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;

/** Runs Gogo shell commands in the test framework, as a user at the console would. */
final class Gogo {
    private static final Pattern LOG_LINE =
            Pattern.compile("(?m)^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\[.*\\R");
    private Gogo() {
    }

    /**
     * @param context a bundle context of the framework
     * @param command a command line, e.g. {@code infrakit:plugins}
     * @return what the command printed on its standard output
     * @throws AssertionError when it printed anything on its standard error
     */
    static String run(BundleContext context, String command) throws Exception {
        Outcome outcome = execute(context, command);
        if (!outcome.err().isEmpty()) {
            throw new AssertionError(command + " printed on standard error: " + outcome.err());
        }
        return outcome.out();
    }

    /**
     * What a command printed on its standard output and on its standard error, and what it
     * returned (which a console would print; {@code null} for a command that returns nothing).
     */
    record Outcome(String out, String err, Object value) {
    }

    /**
     * @param context a bundle context of the framework
     * @param command a command line
     * @return what it printed on both streams (for a command expected to fail)
     */
    static Outcome execute(BundleContext context, String command) throws Exception {
        CommandProcessor processor = Osgi.awaitService(context, CommandProcessor.class, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Object value;
        try {
            value = session.execute(command);
        } finally {
            session.close();
        }
        return new Outcome(withoutLogLines(out.toString(StandardCharsets.UTF_8)),
                withoutLogLines(err.toString(StandardCharsets.UTF_8)), value);
    }

    /**
     * The test's logback console appender writes to {@code System.out}, which Gogo redirects to
     * the session in the thread that runs a command: a plugin that logs while it serves the command
     * (the group plugin's "Watching group …") would show in the command's output. Those lines,
     * in the pattern of {@code logback-test.xml}, are not the command's.
     */
    private static String withoutLogLines(String text) {
        return LOG_LINE.matcher(text).replaceAll("");
    }
}
