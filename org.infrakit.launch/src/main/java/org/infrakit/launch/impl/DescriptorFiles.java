package org.infrakit.launch.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.infrakit.launch.ExternalPlugin;

/**
 * Starts a plugin that stays down ({@code FAILED}: restart budget spent, or a program that cannot
 * be started) again when its descriptor file is touched or edited. ConfigAdmin only hears of an
 * edit that changes a value: a {@code touch}, a saved file with the same values or a changed
 * comment never reach the descriptor component, so the files themselves are looked at.
 *
 * <p>A file is compared with what it was (mtime, size, inode) when the plugin last ran; a change
 * seen on two polls in a row while the plugin is still down starts it again with a fresh budget.
 * The second poll leaves time for an edit that does change values to arrive through ConfigAdmin
 * first, which starts the plugin with the new descriptor anyway.
 */
final class DescriptorFiles implements AutoCloseable {
    /** How often the descriptor files of failed plugins are looked at. */
    static final long POLL_MILLIS = 500;

    private record Stamp(FileTime mtime, long size, Object fileKey) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (IOException gone) {
                return null;
            }
        }
    }

    /** One supervised plugin's descriptor file; only on the poll thread once registered. */
    private static final class Watched {
        final Path file;
        Stamp ran;
        Stamp pending;

        Watched(Path file) {
            this.file = file;
            this.ran = Stamp.of(file);
        }
    }

    private final Supplier<List<PluginSupervisor>> supervisors;
    private final Map<PluginSupervisor, Watched> files = new ConcurrentHashMap<>();
    private ScheduledExecutorService poll;

    /** @param supervisors the plugins supervised now */
    DescriptorFiles(Supplier<List<PluginSupervisor>> supervisors) {
        this.supervisors = supervisors;
    }

    /**
     * @param supervisor a plugin's supervisor
     * @param file the file its descriptor was read from
     */
    synchronized void watch(PluginSupervisor supervisor, Path file) {
        files.put(supervisor, new Watched(file));
        if (poll == null) {
            poll = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "infrakit-launch-descriptors");
                t.setDaemon(true);
                return t;
            });
            poll.scheduleWithFixedDelay(this::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void look() {
        List<PluginSupervisor> now = supervisors.get();
        files.keySet().retainAll(now);
        for (Map.Entry<PluginSupervisor, Watched> e : files.entrySet()) {
            PluginSupervisor s = e.getKey();
            Watched w = e.getValue();
            Stamp stamp = Stamp.of(w.file);
            if (s.status().state() != ExternalPlugin.State.FAILED) {
                w.ran = stamp;
                w.pending = null;
            } else if (stamp != null && !stamp.equals(w.ran)) {
                if (Objects.equals(stamp, w.pending)) {
                    w.ran = stamp;
                    w.pending = null;
                    s.retry(w.file + " was touched");
                } else {
                    w.pending = stamp;
                }
            }
        }
    }

    /** Stops looking. */
    @Override
    public synchronized void close() {
        if (poll != null) {
            poll.shutdownNow();
        }
        files.clear();
    }
}
