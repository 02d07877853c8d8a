package org.infrakit.diagnostics.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class LogForwarderTest {
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Reader reader = new Reader();

    @BeforeEach
    void capture() {
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
    }

    @Test
    void forwardsEachLevelUnderTheEntrysLoggerName() {
        LogForwarder forwarder = new LogForwarder(reader);
        IllegalStateException boom = new IllegalStateException("boom");

        reader.log(entry(LogLevel.ERROR, "org.apache.felix.scr", "org.apache.felix.scr.impl.ComponentRegistry",
                "component failed", boom));
        reader.log(entry(LogLevel.WARN, "x", "a.b.C", "careful", null));
        reader.log(entry(LogLevel.INFO, "x", "a.b.C", "fyi", null));
        reader.log(entry(LogLevel.AUDIT, "x", "a.b.C", "audited", null));
        reader.log(entry(LogLevel.DEBUG, "x", "a.b.C", "details", null));

        assertThat(events.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getLoggerName,
                ILoggingEvent::getFormattedMessage).containsExactly(
                        tuple(Level.ERROR, "org.apache.felix.scr.impl.ComponentRegistry", "component failed"),
                        tuple(Level.WARN, "a.b.C", "careful"),
                        tuple(Level.INFO, "a.b.C", "fyi"),
                        tuple(Level.INFO, "a.b.C", "audited"),
                        tuple(Level.DEBUG, "a.b.C", "details"));
        assertThat(events.list.get(0).getThrowableProxy().getMessage()).isEqualTo("boom");
        forwarder.deactivate();
    }

    @Test
    void legacyLogServiceEntriesAreNamedByTheirBundle() {
        new LogForwarder(reader);

        reader.log(entry(LogLevel.ERROR, "org.apache.felix.fileinstall", "LogService",
                "Failed to install artifact: /home/x/deploy/broken.jar", null));
        reader.log(entry(LogLevel.ERROR, null, "LogService", "no bundle", null));
        reader.log(entry(LogLevel.WARN, "org.apache.felix.fileinstall", "LogService.org.apache.felix.fileinstall",
                "Felix Log names them per bundle", null));

        assertThat(events.list).extracting(ILoggingEvent::getLoggerName)
                .containsExactly("org.apache.felix.fileinstall", "LogService", "org.apache.felix.fileinstall");
    }

    @Test
    void theSlf4jLevelsStillApply() {
        new LogForwarder(reader);

        reader.log(entry(LogLevel.INFO, "org.apache.felix.framework", "Events.Service", "ServiceEvent REGISTERED",
                null));
        reader.log(entry(LogLevel.WARN, "org.apache.felix.framework", "Events.Bundle", "BundleEvent odd", null));

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("BundleEvent odd");
    }

    @Test
    void entriesFromBeforeItStartedAreForwardedOldestFirst() {
        reader.history.add(entry(LogLevel.ERROR, "b", "first", "1", null));
        reader.history.add(entry(LogLevel.ERROR, "b", "second", "2", null));

        new LogForwarder(reader);

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("1", "2");
    }

    @Test
    void deactivationStopsForwarding() {
        LogForwarder forwarder = new LogForwarder(reader);
        forwarder.deactivate();

        reader.log(entry(LogLevel.ERROR, "b", "c", "late", null));

        assertThat(reader.listeners).isEmpty();
        assertThat(events.list).isEmpty();
    }

    /** A log reader: its history (oldest first) and its listeners. */
    private static final class Reader implements LogReaderService {
        final List<LogEntry> history = new ArrayList<>();
        final List<LogListener> listeners = new CopyOnWriteArrayList<>();

        void log(LogEntry entry) {
            listeners.forEach(l -> l.logged(entry));
        }

        @Override
        public void addLogListener(LogListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeLogListener(LogListener listener) {
            listeners.remove(listener);
        }

        @Override
        public Enumeration<LogEntry> getLog() {
            List<LogEntry> newestFirst = new ArrayList<>(history);
            Collections.reverse(newestFirst);
            return Collections.enumeration(newestFirst);
        }
    }

    private static LogEntry entry(LogLevel level, String bsn, String logger, String message, Throwable e) {
        Bundle bundle = bsn == null ? null : (Bundle) Proxy.newProxyInstance(LogForwarderTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (p, m, a) -> m.getName().equals("getSymbolicName") ? bsn : null);
        return (LogEntry) Proxy.newProxyInstance(LogForwarderTest.class.getClassLoader(), new Class<?>[] {LogEntry.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getLogLevel" -> level;
                    case "getLevel" -> level.ordinal();
                    case "getLoggerName" -> logger;
                    case "getMessage" -> message;
                    case "getException" -> e;
                    case "getBundle" -> bundle;
                    default -> null;
                });
    }
}
