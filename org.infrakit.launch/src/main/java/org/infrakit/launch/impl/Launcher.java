package org.infrakit.launch.impl;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugins;
import org.infrakit.spi.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All external plugins of the runtime, one {@link PluginSupervisor} per declared name. Each
 * descriptor is an owner (any object, the DS component in production) that declares, updates and
 * removes its plugin. A name is owned by one descriptor at a time, and a plugin replaced under the
 * same name is started only after the old process is gone, so two never fight over one socket.
 */
final class Launcher implements ExternalPlugins, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    /** Output lines a second logged per plugin before lines are counted instead. */
    static final int LINES_PER_SECOND = 1000;

    private final LaunchPaths paths;
    private final LineSink sink;
    private final Clock clock;
    private final int linesPerSecond;
    private final Map<String, Entry> plugins = new TreeMap<>();
    /** Removed plugins whose process is not gone yet: listed as STOPPED until it is. */
    private final Map<String, Stopping> stopping = new HashMap<>();
    private boolean closed;
    /** Starts a failed plugin again when its descriptor file is touched. */
    private final DescriptorFiles descriptorFiles = new DescriptorFiles(this::supervisors);
    /** Aborts handshake probes that outlive their deadline, for every supervisor. */
    private final ScheduledThreadPoolExecutor probeTimer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "infrakit-launch-probe-timer");
        t.setDaemon(true);
        return t;
    });

    private record Entry(Object owner, PluginSupervisor supervisor) {
    }

    private record Stopping(PluginSupervisor supervisor, CompletableFuture<Void> done) {
    }

    /**
     * @param paths where sockets, records and logs are
     * @param sink where plugins' output lines go
     * @param clock the clock for timestamps and restart windows
     * @param linesPerSecond how many output lines a second are logged per plugin at most
     */
    Launcher(LaunchPaths paths, LineSink sink, Clock clock, int linesPerSecond) {
        this.paths = paths;
        this.sink = sink;
        this.clock = clock;
        this.linesPerSecond = linesPerSecond;
        probeTimer.setRemoveOnCancelPolicy(true);
    }

    /** @return where sockets, records and logs are */
    LaunchPaths paths() {
        return paths;
    }

    /**
     * Declares a plugin, or applies a changed descriptor of the owner's plugin: only supervision
     * settings changed → applied in place; anything that changes the process (command,
     * directory, environment, name, detachable) → the old process is stopped and the new one
     * started.
     *
     * @param owner the descriptor
     * @param spec the plugin
     * @throws PluginException when another descriptor already declares that name, or the launcher is closed
     */
    synchronized void declare(Object owner, PluginSpec spec) throws PluginException {
        declare(owner, spec, null);
    }

    /**
     * As {@link #declare(Object, PluginSpec)}, for a descriptor read from a file: touching or
     * editing that file starts the plugin again once it has failed for good.
     *
     * @param owner the descriptor
     * @param spec the plugin
     * @param file the descriptor's file; {@code null} when it has none
     * @throws PluginException when another descriptor already declares that name, or the launcher is closed
     */
    synchronized void declare(Object owner, PluginSpec spec, Path file) throws PluginException {
        if (closed) {
            throw new PluginException("external plugin '" + spec.name() + "': the launcher is shut down");
        }
        Entry mine = find(owner);
        Entry other = plugins.get(spec.name());
        if (other != null && other.owner() != owner) {
            throw new PluginException("external plugin '" + spec.name() + "' is already declared by another "
                    + "descriptor; plugin names must be unique, ignoring this one");
        }
        if (mine != null) {
            if (mine.supervisor().spec().sameProcess(spec)) {
                mine.supervisor().update(spec);
                return;
            }
            remove(owner);
        }
        PluginSupervisor s = new PluginSupervisor(spec, paths, sink, clock, linesPerSecond, probeTimer);
        plugins.put(spec.name(), new Entry(owner, s));
        if (file != null) {
            descriptorFiles.watch(s, file);
        }
        Stopping previous = stopping.get(spec.name());
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous.done())
                .whenComplete((v, t) -> s.start());
    }

    /**
     * Stops the owner's plugin; nothing happens when the owner declared none.
     *
     * @param owner the descriptor
     * @return completes once the process is gone
     */
    synchronized CompletableFuture<Void> remove(Object owner) {
        Entry e = find(owner);
        if (e == null) {
            return CompletableFuture.completedFuture(null);
        }
        String name = e.supervisor().spec().name();
        plugins.remove(name);
        CompletableFuture<Void> done = e.supervisor().stop();
        Stopping st = new Stopping(e.supervisor(), done);
        stopping.put(name, st);
        done.whenComplete((v, t) -> {
            synchronized (this) {
                stopping.remove(name, st);
            }
        });
        return done;
    }

    private Entry find(Object owner) {
        for (Entry e : plugins.values()) {
            if (e.owner() == owner) {
                return e;
            }
        }
        return null;
    }

    private synchronized List<PluginSupervisor> supervisors() {
        return plugins.values().stream().map(Entry::supervisor).toList();
    }

    @Override
    public List<ExternalPlugin> list() {
        Map<String, PluginSupervisor> all = new TreeMap<>();
        synchronized (this) {
            stopping.forEach((name, st) -> all.put(name, st.supervisor()));
            plugins.forEach((name, e) -> all.put(name, e.supervisor()));
        }
        return all.values().stream().map(PluginSupervisor::status).toList();
    }

    @Override
    public Optional<ExternalPlugin> get(String name) {
        PluginSupervisor s;
        synchronized (this) {
            Entry e = plugins.get(name);
            Stopping st = stopping.get(name);
            s = e != null ? e.supervisor() : st != null ? st.supervisor() : null;
        }
        return Optional.ofNullable(s).map(PluginSupervisor::status);
    }

    /**
     * Runtime shutdown: stops every plugin in parallel, except detachable ones that are up, which
     * are left running for the next runtime to adopt. Waits for the processes to be gone, at most
     * the longest grace period and a little more.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        Duration longest = Duration.ZERO;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Entry e : plugins.values()) {
                all.add(e.supervisor().shutdown());
                Duration g = e.supervisor().spec().stopGrace();
                longest = g.compareTo(longest) > 0 ? g : longest;
            }
            plugins.clear();
            stopping.values().forEach(st -> all.add(st.done()));
        }
        descriptorFiles.close();
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(longest.toMillis() + 3000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("some external plugins were still stopping when the launcher shut down");
        } catch (ExecutionException e) {
            LOG.warn("stopping external plugins: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            probeTimer.shutdownNow();
        }
    }
}
