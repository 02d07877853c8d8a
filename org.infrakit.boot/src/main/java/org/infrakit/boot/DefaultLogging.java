package org.infrakit.boot;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The runtime's default logging, set up in code: the same configuration as {@code run/logback.xml}
 * (a test keeps the two equal), without parsing XML at start-up, which costs Logback's Joran
 * about 150 ms on a small machine.
 * <p>
 * Logback finds this class through {@code META-INF/services} on the framework class path. When the
 * system property {@code logback.configurationFile} names a file that exists (the runtime passes
 * {@code conf/logback.xml}, relative to {@code $INFRAKIT_HOME}) or a URL, this configurator steps
 * aside and Logback reads that file as usual; so it does when a {@code logback-test.xml} is on the
 * class path (tests of this module).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {
    /** Where Logback looks for a configuration file chosen by the user. */
    static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";
    /** Logback's test configuration: on the class path of a test, it wins as it does in Logback. */
    static final String TEST_CONFIGURATION = "logback-test.xml";
    /** Pattern of the console: time of day, for people watching. */
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    /** Pattern of the log file: full timestamp with its offset, whole logger names. */
    static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger - %msg%n";
    /** Directory of the log files, relative to the working directory ({@code $INFRAKIT_HOME}). */
    static final String LOGS = "logs";
    /** One file per day, a week kept. */
    static final int MAX_HISTORY = 7;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfiguration(System.getProperty(CONFIG_FILE_PROPERTY))
                || DefaultLogging.class.getClassLoader().getResource(TEST_CONFIGURATION) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, LOGS);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * @param context the context to configure
     * @param logs the directory of the log file {@code infrakit.log} and its daily archives
     */
    static void configure(LoggerContext context, String logs) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName("CONSOLE");
        start(context, console, CONSOLE_PATTERN);

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setName("FILE");
        file.setContext(context);
        file.setFile(logs + "/infrakit.log");
        TimeBasedRollingPolicy<ILoggingEvent> rolling = new TimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setFileNamePattern(logs + "/infrakit.%d{yyyy-MM-dd}.log");
        rolling.setMaxHistory(MAX_HISTORY);
        rolling.setParent(file);
        rolling.start();
        file.setRollingPolicy(rolling);
        start(context, file, FILE_PATTERN);

        // framework, bundle and service events forwarded from the OSGi log: only problems
        context.getLogger("Events").setLevel(Level.WARN);
        // Jetty's start/stop lines for every plugin socket; the bridge logs its own
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        root.addAppender(file);
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
    }

    /**
     * @param value the value of {@value #CONFIG_FILE_PROPERTY}, or {@code null}
     * @return whether it names a configuration Logback should read: a file that exists, or a URL
     *         (which Logback resolves itself); a missing file means the default
     */
    static boolean userConfiguration(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        try {
            if (Files.isRegularFile(Path.of(value))) {
                return true;
            }
        } catch (InvalidPathException e) {
            // not a path: maybe a URL
        }
        try {
            String scheme = URI.create(value).getScheme();
            // a single letter is a Windows drive, not a scheme
            return scheme != null && scheme.length() > 1 && !"file".equalsIgnoreCase(scheme)
                    || "file".equalsIgnoreCase(scheme) && Files.isRegularFile(Path.of(URI.create(value)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
