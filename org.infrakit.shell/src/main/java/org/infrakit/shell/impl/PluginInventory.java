package org.infrakit.shell.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.ProcessStatus;

/**
 * Everything the runtime knows about plugins, for the {@code plugins} command: the plugin
 * services (local and imported), completed with what the RPC bridge and the external plugin
 * launcher know when they run.
 *
 * <ul>
 * <li>A local service gets the socket the bridge serves its name on, or the reason it is not
 * served ({@code not served: ...}).</li>
 * <li>A service of a socket the launcher supervises gets origin {@code external} and the
 * process's state, pid, restarts and last exit.</li>
 * <li>A socket the bridge did not import is a row with the reason ({@code not imported: ...}); so
 * is a local service the bridge does not serve ({@code not exported: ...}).</li>
 * <li>A supervised process with no row yet (starting, failed, stopped) is a row with its last
 * error or its state.</li>
 * </ul>
 * Without the bridge or the launcher, their parts are simply missing.
 */
final class PluginInventory {
    static final String IMPORTED = "imported";
    static final String EXTERNAL = "external";
    static final String FOREIGN = "foreign process";

    private final Supplier<List<PluginEntry>> services;
    private final Supplier<PluginSockets> bridge;
    private final Supplier<PluginProcesses> launcher;

    /**
     * @param services the plugin services of the registry, one entry per interface
     * @param bridge the bridge's status, or a supplier of {@code null} when it does not run
     * @param launcher the launcher's status, or a supplier of {@code null} when it does not run
     */
    PluginInventory(Supplier<List<PluginEntry>> services, Supplier<PluginSockets> bridge,
            Supplier<PluginProcesses> launcher) {
        this.services = Objects.requireNonNull(services, "services");
        this.bridge = Objects.requireNonNull(bridge, "bridge");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    /** @return the entries, unsorted (the listing sorts them) */
    List<PluginEntry> entries() {
        // one snapshot of each source: the services may come and go while we look
        PluginSockets b = bridge.get();
        PluginProcesses l = launcher.get();
        Map<String, PluginSockets.Served> exported = new HashMap<>();
        List<PluginSockets.Problem> notExported = List.of();
        List<PluginSockets.Problem> notImported = List.of();
        Path dir = null;
        if (b != null) {
            for (PluginSockets.Served e : b.exported()) {
                exported.put(e.name(), e);
            }
            notExported = b.notExported();
            notImported = b.notImported();
            dir = b.pluginsDir();
        }
        Map<String, PluginProcesses.Process> external = new HashMap<>();
        if (l != null) {
            for (PluginProcesses.Process p : l.list()) {
                external.put(p.name(), p);
            }
        }

        List<PluginEntry> entries = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (PluginEntry e : services.get()) {
            named.add(e.name());
            if (e.imported()) {
                PluginProcesses.Process p = external.get(e.name());
                entries.add(p == null ? e : e.withOrigin(EXTERNAL, status(p)));
                continue;
            }
            PluginSockets.Served served = exported.get(e.name());
            if (served == null) {
                entries.add(e);
            } else if (served.problem() == null) {
                entries.add(e.socket() == null ? e.withSocket(served.socket().toString()) : e);
            } else {
                entries.add(e.withProblem("not served: " + served.problem()));
            }
        }
        for (PluginSockets.Problem p : notImported) {
            named.add(p.name());
            PluginProcesses.Process process = external.get(p.name());
            entries.add(new PluginEntry(p.name(), "", "", path(p.socket()), process == null ? FOREIGN : EXTERNAL,
                    false, "not imported: " + p.reason(), process == null ? null : status(process)));
        }
        for (PluginSockets.Problem p : notExported) {
            named.add(p.name());
            entries.add(new PluginEntry(p.name(), "", "", path(p.socket()), "", false, "not exported: " + p.reason()));
        }
        for (PluginProcesses.Process p : external.values()) {
            if (named.contains(p.name())) {
                continue;
            }
            String socket = dir == null ? null : dir.resolve(p.name()).toString();
            entries.add(new PluginEntry(p.name(), "", "", socket, EXTERNAL, false, withoutService(p), status(p)));
        }
        return entries;
    }

    private static ProcessStatus status(PluginProcesses.Process p) {
        return new ProcessStatus(p.state() == null ? "" : p.state().name(), p.pid(), p.restarts(), p.lastExitCode(),
                p.lastError());
    }

    /** Why a supervised process has no plugin service. */
    private static String withoutService(PluginProcesses.Process p) {
        String state = p.state() == null ? "unknown state" : switch (p.state()) {
            case STARTING -> "starting: its socket does not answer yet";
            case RESTARTING -> "restarting";
            case FAILED -> "failed";
            case STOPPED -> "stopped";
            case RUNNING, ADOPTED -> "not imported (yet)";
        };
        return p.lastError() == null || p.lastError().isBlank() ? state
                : state + ": " + p.lastError().strip();
    }

    private static String path(Path p) {
        return p == null ? null : p.toString();
    }
}
