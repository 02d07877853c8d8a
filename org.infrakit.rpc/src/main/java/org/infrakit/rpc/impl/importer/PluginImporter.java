package org.infrakit.rpc.impl.importer;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.infrakit.rpc.ImportedPlugin;
import org.infrakit.rpc.PluginProblem;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.rpc.client.FlavorPluginProxy;
import org.infrakit.rpc.client.GroupPluginProxy;
import org.infrakit.rpc.client.InstancePluginProxy;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.rpc.impl.PluginsDir;
import org.infrakit.rpc.impl.server.PeerPolicy;
import org.infrakit.rpc.impl.server.SocketFiles;
import org.infrakit.spi.InterfaceSpec;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the foreign plugin sockets of the plugins directory as services: for every socket this
 * runtime did not make, a handshake, then one proxy per interface and sub-type, registered
 * through a {@link Registrar} with {@code infrakit.plugin.name}, {@code infrakit.plugin.type}
 * (typed objects), {@code service.imported=true} and {@code infrakit.plugin.socket}.
 *
 * <p>Every scan (on directory events and every scan interval) handshakes again with each socket:
 * a socket that is gone or stops answering loses its services; one that comes back, or changes
 * what it serves, is imported anew. A socket is skipped when the exporter serves its name, or when
 * its answers carry this runtime's id. Plain: {@link #scan()} can be driven by a test directly;
 * {@link #start()} adds the owned watch and scan threads.
 */
public final class PluginImporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginImporter.class);
    /** Files appear at bind; give the server a moment to listen before the handshake. */
    private static final long EVENT_DELAY_MS = 100;

    /** Registers proxies as services. */
    public interface Registrar {
        /**
         * @param kind the SPI interface to register under
         * @param service the proxy
         * @param properties the service properties
         * @return a handle to unregister it
         */
        Registration register(PluginKind kind, Object service, Map<String, Object> properties);
    }

    /** A registered proxy. */
    public interface Registration {
        /** Removes the service; must tolerate being called when the framework is already stopping. */
        void unregister();
    }

    /**
     * @param callTimeoutMs deadline of a call through a proxy
     * @param probeTimeoutMs deadline of each handshake call while scanning
     * @param scanIntervalMs time between periodic scans
     * @param trace whether proxies log every request and reply (log level 5)
     */
    public record Settings(long callTimeoutMs, long probeTimeoutMs, long scanIntervalMs, boolean trace) {
    }

    private static final class Imported {
        final Path socket;
        final Object fileKey;
        final PluginHandshake.Offer offer;
        final JsonRpcClient rpc;
        final List<Registration> registrations = new ArrayList<>();
        final ImportedPlugin status;

        Imported(Path socket, Object fileKey, PluginHandshake.Offer offer, JsonRpcClient rpc, ImportedPlugin status) {
            this.socket = socket;
            this.fileKey = fileKey;
            this.offer = offer;
            this.rpc = rpc;
            this.status = status;
        }
    }

    private final Path dir;
    private final Registrar registrar;
    private final Settings settings;
    private final String runtimeId;
    private final Predicate<String> exportedByUs;
    private final ScheduledThreadPoolExecutor timer;

    /** Whose sockets are imported; found on the first scan when not given. */
    private PeerPolicy owners;
    private final Map<String, Imported> imported = new TreeMap<>();
    private final Map<String, JsonRpcClient> probes = new HashMap<>();
    private final Map<String, PluginProblem> refused = new TreeMap<>();
    private volatile List<ImportedPlugin> importedView = List.of();
    private volatile List<PluginProblem> refusedView = List.of();

    private final AtomicBoolean scanPending = new AtomicBoolean();
    private ScheduledExecutorService scanner;
    private WatchService watcher;
    private Thread watchThread;
    private volatile boolean closed;

    /**
     * @param dir the plugins directory (existing)
     * @param registrar registers the proxies
     * @param settings timeouts and intervals
     * @param runtimeId this runtime's id, as its sockets announce it
     * @param exportedByUs whether a plugin name is currently served by this runtime's exporter
     */
    public PluginImporter(Path dir, Registrar registrar, Settings settings, String runtimeId,
            Predicate<String> exportedByUs) {
        this(dir, registrar, settings, runtimeId, exportedByUs, null);
    }

    /**
     * As the other constructor, with the owners whose sockets are imported given.
     *
     * @param owners the uids whose socket files are imported; {@code null}: this process's uid
     *     and root, as the server's peer policy (a socket of another uid is skipped, said once)
     */
    PluginImporter(Path dir, Registrar registrar, Settings settings, String runtimeId,
            Predicate<String> exportedByUs, PeerPolicy owners) {
        this.owners = owners;
        this.dir = dir;
        this.registrar = registrar;
        this.settings = settings;
        this.runtimeId = runtimeId;
        this.exportedByUs = exportedByUs;
        this.timer = new ScheduledThreadPoolExecutor(1, named("infrakit-rpc-deadline"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts watching: a first scan right away (in the background), one on every directory event,
     * and one every scan interval. Returns at once.
     */
    public synchronized void start() {
        if (closed || scanner != null) {
            return;
        }
        scanner = Executors.newSingleThreadScheduledExecutor(named("infrakit-rpc-import"));
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, settings.scanIntervalMs(), TimeUnit.MILLISECONDS);
        try {
            watcher = dir.getFileSystem().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
            WatchService ws = watcher;
            watchThread = new Thread(() -> watch(ws), "infrakit-rpc-watch");
            watchThread.setDaemon(true);
            watchThread.start();
        } catch (IOException e) {
            LOG.warn("Cannot watch {} for plugin sockets ({}); it is rescanned every {} ms instead", dir,
                    e.getMessage(), settings.scanIntervalMs());
        }
    }

    private void watch(WatchService ws) {
        try {
            while (true) {
                WatchKey key = ws.take();
                key.pollEvents();
                key.reset();
                if (scanPending.compareAndSet(false, true)) {
                    ScheduledExecutorService s = scanner;
                    try {
                        s.schedule(() -> {
                            scanPending.set(false);
                            scanQuietly();
                        }, EVENT_DELAY_MS, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        return;
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closing
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warn("Scanning {} for plugin sockets failed", dir, e);
        }
    }

    /** One pass over the directory: import new sockets, check and drop old ones. */
    public synchronized void scan() {
        if (closed) {
            return;
        }
        Map<String, Path> sockets = listSockets();
        for (String name : new ArrayList<>(imported.keySet())) {
            if (!sockets.containsKey(name)) {
                drop(name, "its socket file is gone");
            }
        }
        refused.keySet().retainAll(sockets.keySet());
        for (String name : new ArrayList<>(probes.keySet())) {
            if (!sockets.containsKey(name)) {
                probes.remove(name).close();
            }
        }
        for (Map.Entry<String, Path> e : sockets.entrySet()) {
            if (closed) {
                return;
            }
            visit(e.getKey(), e.getValue());
        }
        publish();
    }

    private Map<String, Path> listSockets() {
        Map<String, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (PluginRef.nameProblem(name) == null && SocketFiles.isSocket(p)) {
                    out.put(name, p);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the plugins directory {}: {}", dir, e.getMessage());
        }
        return out;
    }

    private void visit(String name, Path socket) {
        if (exportedByUs.test(name)) {
            forget(name, "it is served by this runtime now");
            return;
        }
        long owner = owner(socket);
        PeerPolicy allowed = owners();
        if (!allowed.allows(owner)) {
            // a process of another user serves it: the server side refuses peers of other uids
            // too, and its answers could not be trusted as ours
            drop(name, "its socket file belongs to uid " + owner + " now");
            probes.computeIfPresent(name, (n, p) -> {
                p.close();
                return null;
            });
            refuse(name, socket, "belongs to uid " + owner + ", and only sockets of " + allowed + " are imported");
            return;
        }
        Object fileKey = SocketFiles.fileKey(socket);
        JsonRpcClient probe = probes.computeIfAbsent(name,
                n -> new JsonRpcClient(socket, settings.probeTimeoutMs(), timer, false));
        PluginHandshake.Offer offer;
        try {
            offer = PluginHandshake.run(probe);
        } catch (ServiceException e) {
            probes.remove(name).close();
            forget(name, "it stopped answering: " + e.getMessage());
            refuse(name, socket, "not answering: " + e.getMessage());
            return;
        } catch (RemoteError e) {
            forget(name, "its handshake fails now");
            refuse(name, socket, "answers neither Handshake.Implements nor Plugin.Implements: " + e.getMessage());
            return;
        }
        if (runtimeId.equals(offer.runtimeId())) {
            forget(name, "it is served by this runtime");
            return;
        }
        Imported current = imported.get(name);
        if (current != null && Objects.equals(current.fileKey, fileKey) && current.offer.equals(offer)) {
            return;
        }
        if (current != null) {
            drop(name, "it was restarted or changed what it serves");
        }
        ImportVerdict verdict = ImportVerdict.judge(offer);
        if (verdict.importable().isEmpty()) {
            refuse(name, socket, verdict.explain(offer));
            return;
        }
        importSocket(name, socket, fileKey, offer, verdict);
    }

    private PeerPolicy owners() {
        if (owners == null) {
            try {
                owners = PeerPolicy.ownerAndRoot(PluginsDir.ownUid());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot tell this process's uid ({}): importing only sockets of root", e.toString());
                owners = new PeerPolicy(java.util.Set.of(0L));
            }
        }
        return owners;
    }

    private static long owner(Path socket) {
        try {
            return ((Number) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void importSocket(String name, Path socket, Object fileKey, PluginHandshake.Offer offer,
            ImportVerdict verdict) {
        List<String> described = new ArrayList<>();
        for (Map.Entry<PluginKind, List<String>> e : verdict.importable().entrySet()) {
            List<String> types = e.getValue().stream().map(t -> t.isEmpty() ? "." : t).toList();
            described.add(types.equals(List.of(".")) ? e.getKey().spec().toString()
                    : e.getKey().spec() + " " + types);
        }
        List<String> notSpoken = verdict.notSpoken().stream().map(InterfaceSpec::toString).toList();
        JsonRpcClient rpc = new JsonRpcClient(socket, settings.callTimeoutMs(), timer, settings.trace());
        Imported entry = new Imported(socket, fileKey, offer, rpc, new ImportedPlugin(name, socket, described, notSpoken));
        try {
            for (Map.Entry<PluginKind, List<String>> e : verdict.importable().entrySet()) {
                for (String type : e.getValue()) {
                    Map<String, Object> props = new HashMap<>();
                    props.put(PluginProperties.NAME, name);
                    if (!type.isEmpty()) {
                        props.put(PluginProperties.TYPE, type);
                    }
                    props.put(PluginProperties.IMPORTED, Boolean.TRUE);
                    props.put(PluginProperties.SOCKET, socket.toString());
                    entry.registrations.add(registrar.register(e.getKey(), proxy(e.getKey(), rpc, type), props));
                }
            }
        } catch (RuntimeException e) {
            entry.registrations.forEach(PluginImporter::unregister);
            rpc.close();
            refuse(name, socket, "its services cannot be registered: " + e);
            return;
        }
        imported.put(name, entry);
        refused.remove(name);
        if (notSpoken.isEmpty()) {
            LOG.info("Imported plugin socket {} as {}", socket, String.join(", ", described));
        } else {
            LOG.info("Imported plugin socket {} as {}; not imported: {} (it {})", socket, String.join(", ", described),
                    String.join(", ", notSpoken), verdict.explain(offer));
        }
    }

    private static Object proxy(PluginKind kind, JsonRpcClient rpc, String type) {
        return switch (kind) {
            case GROUP -> new GroupPluginProxy(rpc);
            case INSTANCE -> new InstancePluginProxy(rpc, type);
            case FLAVOR -> new FlavorPluginProxy(rpc, type);
        };
    }

    /** Records a socket not imported; logs once per distinct reason. */
    private void refuse(String name, Path socket, String reason) {
        PluginProblem before = refused.put(name, new PluginProblem(name, socket, reason));
        if (before == null || !before.reason().equals(reason)) {
            LOG.info("Not importing plugin socket {}: it {}", socket, reason.startsWith("not answering")
                    ? "is " + reason : reason);
        }
    }

    /** Drops an import and any refusal: the name is not a foreign socket (any more). */
    private void forget(String name, String why) {
        drop(name, why);
        refused.remove(name);
    }

    private void drop(String name, String why) {
        Imported gone = imported.remove(name);
        if (gone == null) {
            return;
        }
        gone.registrations.forEach(PluginImporter::unregister);
        gone.rpc.close();
        LOG.info("Unregistered the services of plugin socket {}: {}", gone.socket, why);
    }

    private static void unregister(Registration r) {
        try {
            r.unregister();
        } catch (RuntimeException e) {
            LOG.debug("unregistering an imported service", e);
        }
    }

    private void publish() {
        importedView = imported.values().stream().map(i -> i.status).toList();
        refusedView = List.copyOf(refused.values());
    }

    /** @return the sockets imported, sorted by name */
    public List<ImportedPlugin> imported() {
        return importedView;
    }

    /** @return the sockets found but not imported, and why, sorted by name */
    public List<PluginProblem> notImported() {
        return refusedView;
    }

    /** Stops watching and scanning, unregisters every proxy and closes their connections. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = scanner;
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (s != null) {
            s.shutdownNow();
            try {
                if (!s.awaitTermination(settings.probeTimeoutMs() * 2 + 1000, TimeUnit.MILLISECONDS)) {
                    LOG.warn("The plugin directory scanner did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (watchThread != null) {
            try {
                watchThread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (String name : new ArrayList<>(imported.keySet())) {
                drop(name, "the bridge is stopping");
            }
            probes.values().forEach(JsonRpcClient::close);
            probes.clear();
            refused.clear();
            publish();
        }
        timer.shutdownNow();
    }
}
