package org.infrakit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;

class DefaultLoggingTest {
    /** The default written as XML, for users to copy to conf/logback.xml and change. */
    private static final Path XML = Path.of("..", "run", "logback.xml");

    @TempDir
    Path dir;

    @Test
    void isTheSameConfigurationAsTheXmlFileUsersCopy() throws Exception {
        Path fromCode = Files.createDirectory(dir.resolve("code"));
        LoggerContext code = new LoggerContext();
        DefaultLogging.configure(code, fromCode.resolve("logs").toString());

        Path fromXml = Files.createDirectory(dir.resolve("xml"));
        LoggerContext xml = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(xml);
        String text = Files.readString(XML).replace(">logs/", ">" + fromXml.resolve("logs") + "/");
        joran.doConfigure(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(errors(xml)).isEmpty();
        assertThat(errors(code)).isEmpty();

        assertThat(describe(code, fromCode)).isEqualTo(describe(xml, fromXml)).isNotEmpty();
        code.stop();
        xml.stop();
    }

    @Test
    void logsToTheConsoleFormatAndToTheFileWithFullTimestamps() throws Exception {
        LoggerContext context = new LoggerContext();
        // set by Logback's SLF4J provider in the runtime
        context.setMDCAdapter(new LogbackMDCAdapter());
        Path logs = dir.resolve("logs");
        DefaultLogging.configure(context, logs.toString());
        context.getLogger("org.infrakit.Example").info("hello {}", "there");
        context.getLogger("org.eclipse.jetty.server.Server").info("not shown");
        context.getLogger("org.eclipse.jetty.server.Server").warn("shown");
        context.getLogger("Events").info("not shown either");
        assertThat(errors(context)).isEmpty();
        context.stop();

        List<String> lines = Files.readAllLines(logs.resolve("infrakit.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches(
                "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO  \\[.+\\] org\\.infrakit\\.Example - hello there");
        assertThat(lines.get(1)).endsWith("WARN  [" + Thread.currentThread().getName()
                + "] org.eclipse.jetty.server.Server - shown");
    }

    @Test
    void aConfigurationFileOfTheUserTakesOver() throws IOException {
        Path file = Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
        assertThat(DefaultLogging.userConfiguration(file.toString())).isTrue();
        assertThat(DefaultLogging.userConfiguration(file.toUri().toString())).isTrue();
        assertThat(DefaultLogging.userConfiguration("https://config.example/logback.xml")).isTrue();
    }

    @Test
    void withoutOneTheDefaultApplies() {
        assertThat(DefaultLogging.userConfiguration(null)).isFalse();
        assertThat(DefaultLogging.userConfiguration(" ")).isFalse();
        assertThat(DefaultLogging.userConfiguration(dir.resolve("conf/logback.xml").toString())).isFalse();
        assertThat(DefaultLogging.userConfiguration(dir.resolve("missing.xml").toUri().toString())).isFalse();
        assertThat(DefaultLogging.userConfiguration("C:\\infrakit\\conf\\logback.xml")).isFalse();
        // a directory is not a configuration file
        assertThat(DefaultLogging.userConfiguration(dir.toString())).isFalse();
    }

    @Test
    void aConfigurationFileOfTheUserIsLeftToLogbackAndNothingIsAddedHere() {
        String before = System.getProperty(DefaultLogging.CONFIG_FILE_PROPERTY);
        System.setProperty(DefaultLogging.CONFIG_FILE_PROPERTY, XML.toString());
        try {
            LoggerContext context = new LoggerContext();
            DefaultLogging logging = new DefaultLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(DefaultLogging.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(DefaultLogging.CONFIG_FILE_PROPERTY, before);
            }
        }
    }

    @Test
    void logbackFindsItAsAService() {
        List<String> found = new ArrayList<>();
        ServiceLoader.load(Configurator.class, Configurator.class.getClassLoader())
                .stream().forEach(p -> found.add(p.type().getName()));
        assertThat(found).contains(DefaultLogging.class.getName());
    }

    private static List<String> errors(LoggerContext context) {
        List<String> errors = new ArrayList<>();
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getLevel() >= Status.WARN) {
                errors.add(status.toString());
            }
        }
        return errors;
    }

    /** Levels, appenders, their encoders' patterns and rolling, with the base directory as "~". */
    private static TreeMap<String, String> describe(LoggerContext context, Path base) {
        TreeMap<String, String> d = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                d.put("level " + logger.getName(), logger.getLevel().toString());
            }
            for (var it = logger.iteratorForAppenders(); it.hasNext();) {
                Appender<ILoggingEvent> a = it.next();
                String key = "appender " + logger.getName() + " " + a.getName();
                d.put(key, a.getClass().getName());
                if (a instanceof OutputStreamAppender<ILoggingEvent> os && os.getEncoder() instanceof PatternLayoutEncoder e) {
                    d.put(key + " pattern", e.getPattern());
                }
                if (a instanceof RollingFileAppender<ILoggingEvent> r) {
                    d.put(key + " file", r.getFile().replace(base.toString(), "~"));
                    TimeBasedRollingPolicy<?> p = (TimeBasedRollingPolicy<?>) r.getRollingPolicy();
                    d.put(key + " rolling", p.getFileNamePattern().replace(base.toString(), "~") + " max " + p.getMaxHistory());
                }
            }
        }
        return d;
    }
}
