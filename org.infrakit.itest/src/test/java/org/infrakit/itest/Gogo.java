package org.infrakit.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;

/** Runs Gogo shell commands in the test framework, as a user at the console would. */
final class Gogo {
    private Gogo() {
    }

    /**
     * @param context a bundle context of the framework
     * @param command a command line, e.g. {@code infrakit:plugins}
     * @return what the command printed on its standard output
     * @throws AssertionError when it printed anything on its standard error
     */
    static String run(BundleContext context, String command) throws Exception {
        CommandProcessor processor = Osgi.awaitService(context, CommandProcessor.class, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            session.execute(command);
        } finally {
            session.close();
        }
        String error = err.toString(StandardCharsets.UTF_8);
        if (!error.isEmpty()) {
            throw new AssertionError(command + " printed on standard error: " + error);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
