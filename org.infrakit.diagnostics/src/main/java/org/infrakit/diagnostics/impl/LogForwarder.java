package org.infrakit.diagnostics.impl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards every OSGi log entry to SLF4J: the framework's, Declarative Services', FileInstall's
 * (a jar in the deploy folder that cannot be installed, resolved or started) and any bundle's that
 * logs through the OSGi {@code LogService} or R7 {@code Logger}s.
 *
 * <p>Which entries exist at all is decided by the OSGi log's levels (the launch property
 * {@code org.osgi.service.log.admin.loglevel}, WARN by default, or the configuration
 * {@code org.osgi.service.log.admin}); SLF4J's levels then filter by logger name. The logger is
 * the entry's logger name ({@code Events.Bundle}, a class name, ...), except for entries of the
 * legacy {@code LogService.log} methods, whose logger name is {@code LogService} or (Felix Log)
 * {@code LogService.<bundle>}: they are logged under the symbolic name of the bundle that made
 * them ({@code org.apache.felix.fileinstall}).
 *
 * <p>Entries logged before this component started are forwarded from the reader's history when it
 * starts, oldest first.
 */
@Component(immediate = true)
public final class LogForwarder implements LogListener {
    /** The logger name of entries from the legacy {@code LogService.log} methods. */
    static final String LEGACY_LOGGER = "LogService";

    private final LogReaderService reader;

    /** @param reader the OSGi log to follow */
    @Activate
    public LogForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
        List<LogEntry> history = new ArrayList<>();
        Enumeration<LogEntry> entries = reader.getLog();
        while (entries != null && entries.hasMoreElements()) {
            history.add(entries.nextElement());
        }
        // getLog() lists the most recent entry first
        Collections.reverse(history);
        history.forEach(this::logged);
    }

    /** Stops following the log. */
    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        Logger log = LoggerFactory.getLogger(loggerName(entry));
        String message = entry.getMessage();
        Throwable e = entry.getException();
        switch (entry.getLogLevel()) {
            case ERROR -> log.error(message, e);
            case WARN -> log.warn(message, e);
            case INFO, AUDIT -> log.info(message, e);
            case DEBUG -> log.debug(message, e);
            default -> log.trace(message, e);
        }
    }

    /** @return the SLF4J logger name for an entry */
    static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && name.startsWith(LEGACY_LOGGER + ".") && name.length() > LEGACY_LOGGER.length() + 1) {
            return name.substring(LEGACY_LOGGER.length() + 1);
        }
        if (name == null || name.isEmpty() || LEGACY_LOGGER.equals(name)) {
            Bundle bundle = entry.getBundle();
            String bsn = bundle == null ? null : bundle.getSymbolicName();
            return bsn == null ? LEGACY_LOGGER : bsn;
        }
        return name;
    }
}
