package org.infrakit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.VerbResult;
import org.infrakit.spi.InterfaceSpec;
import org.osgi.framework.ServiceException;

/**
 * {@code plugin ls}'s discovery (cli.md §3.1): every socket of the directory is asked what it
 * implements; one entry per object and interface ({@code name} for the default object,
 * {@code name/type} for a typed one, from {@code Handshake.Types}, else one entry per interface
 * from the {@code Implements} answer); a socket that does not answer is one entry with an empty
 * interface and the reason. Sockets are asked in parallel, so that a hung one costs
 * one probe deadline, not one per socket.
 */
final class PluginScan {
    private static final int MAX_PARALLEL = 8;

    private PluginScan() {
    }

    /**
     * @param sockets the directory
     * @param names the socket names to ask
     * @return the entries, unsorted; those of a socket that did not answer carry the reason as
     *     their problem
     */
    static List<PluginEntry> entries(PluginSockets sockets, List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, names.size()), r -> {
            Thread t = new Thread(r, "infrakit-cli-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<PluginEntry>>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(pool.submit(() -> entries(sockets, name)));
            }
            List<PluginEntry> all = new ArrayList<>();
            for (Future<List<PluginEntry>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the plugins", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("asking a plugin failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<PluginEntry> entries(PluginSockets sockets, String name) {
        String socket = sockets.socket(name).toString();
        PluginHandshake.Offer offer;
        try {
            offer = sockets.handshake(name);
        } catch (RemoteError e) {
            return failed(name, socket, "it answers no handshake: " + e.getMessage());
        } catch (ServiceException e) {
            return failed(name, socket, e.getMessage());
        } catch (RuntimeException e) {
            // a defect, not the plugin's: still one entry with the reason, never a stack trace
            return failed(name, socket, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        String origin = offer.runtimeId() == null ? "" : "runtime " + offer.runtimeId();
        List<PluginEntry> entries = new ArrayList<>();
        if (!offer.types().isEmpty()) {
            for (Map.Entry<InterfaceSpec, List<String>> e : offer.types().entrySet()) {
                for (String type : e.getValue().isEmpty() ? List.of("") : e.getValue()) {
                    entries.add(new PluginEntry(name, type, e.getKey().toString(), socket, origin, false, null));
                }
            }
        } else {
            for (InterfaceSpec spec : offer.interfaces()) {
                entries.add(new PluginEntry(name, "", spec.toString(), socket, origin, false, null));
            }
        }
        if (entries.isEmpty()) {
            entries.add(new PluginEntry(name, "", "", socket, origin, false, "it implements no interface"));
        }
        return entries;
    }

    private static List<PluginEntry> failed(String name, String socket, String why) {
        return List.of(new PluginEntry(name, "", "", socket, "", false, VerbResult.oneLine(why)));
    }
}
