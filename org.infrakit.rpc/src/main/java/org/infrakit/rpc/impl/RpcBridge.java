package org.infrakit.rpc.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infrakit.rpc.BridgeStatus;
import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.ImportedPlugin;
import org.infrakit.rpc.PluginProblem;
import org.infrakit.rpc.client.ClientTimeout;
import org.infrakit.rpc.impl.importer.PluginImporter;
import org.infrakit.rpc.impl.server.PluginExporter;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GoDuration;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC bridge: serves every local plugin service on a socket of the plugins directory
 * (through {@link PluginExporter}) and registers every foreign socket there as proxy services
 * (through {@link PluginImporter}). Imported services carry {@code service.imported} and are never
 * exported again; sockets answering with this framework's UUID are never imported.
 *
 * <p>Service events are handed to one owned thread ({@code infrakit-rpc-export}), which starts and
 * stops sockets; the importer owns its own scan and watch threads. Nothing blocks the framework.
 */
@Component(configurationPid = BridgeConfig.PID, service = BridgeStatus.class, immediate = true)
@Designate(ocd = BridgeConfig.class)
public final class RpcBridge implements BridgeStatus {
    private static final Logger LOG = LoggerFactory.getLogger(RpcBridge.class);
    /**
     * Local plugin services: named, and not imported. As in OSGi Remote Services, a service is
     * imported when it carries {@code service.imported} at all, whatever the value: this bridge's
     * proxies say {@code true}, another distribution provider's may say anything.
     */
    /**
     * Every plugin service that is not an imported proxy, with or without a name: the exporter
     * says once of a service without {@code infrakit.plugin.name} that no socket serves it.
     */
    static final String EXPORTABLE = "(!(service.imported=*))";

    private final Path dir;
    private final long scanIntervalMs;
    private final long stopTimeoutMs;
    private final ServerThreads threads = new ServerThreads("infrakit-rpc");
    private final ScheduledExecutorService exportThread;
    private final PluginExporter exporter;
    private final PluginImporter importer;
    private volatile boolean closed;

    /**
     * @param context the bundle context, to register proxies with
     * @param config the configuration
     * @throws IllegalArgumentException when a duration does not parse: the bridge does not start, as the
     *     group plugin does not
     */
    @Activate
    public RpcBridge(BundleContext context, BridgeConfig config) {
        Durations d;
        try {
            d = Durations.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("The RPC bridge is not started: {}", e.getMessage());
            throw e;
        }
        String runtimeId = context.getProperty(Constants.FRAMEWORK_UUID);
        dir = PluginsDir.resolve(config.plugins_dir(), context::getProperty);
        try {
            PluginsDir.ensure(dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The RPC bridge cannot use the plugins directory " + dir + ": "
                    + e.getMessage(), e);
        }
        boolean trace = logLevel(config.log_level(), context.getProperty(BridgeConfig.LOG_LEVEL_PROPERTY)) >= 5;
        scanIntervalMs = d.scanInterval();
        stopTimeoutMs = d.stopTimeout();
        ServerSettings settings = new ServerSettings(atLeast("max.body.bytes", config.max_body_bytes(), 1024),
                d.idleTimeout(), stopTimeoutMs, trace, null, d.readDeadline(),
                (int) atLeast("max.connections", config.max_connections(), 16));
        exportThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infrakit-rpc-export");
            t.setDaemon(true);
            return t;
        });
        exporter = new PluginExporter(dir, settings, runtimeId, threads);
        long callTimeoutMs = ClientTimeout.millis(d.callTimeout(), System.getenv(),
                BridgeConfig.DEFAULT_CALL_TIMEOUT_MS);
        importer = config.import_enabled() ? new PluginImporter(dir, (kind, service, props) -> {
            ServiceRegistration<?> r = context.registerService(kind.type().getName(), service, new Hashtable<>(props));
            return () -> {
                try {
                    r.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            };
        }, new PluginImporter.Settings(callTimeoutMs, d.probeTimeout(),
                scanIntervalMs, trace),
                runtimeId, exporter::serves) : null;
        LOG.info("RPC bridge on {} (runtime {}; import {})", dir, runtimeId, importer != null ? "on" : "off");
    }

    /** The bridge's durations in milliseconds, floors applied. */
    record Durations(long idleTimeout, long readDeadline, long callTimeout, long stopTimeout, long probeTimeout,
            long scanInterval) {
        /** @throws IllegalArgumentException naming the key and the value of a duration that does not parse */
        static Durations of(BridgeConfig c) {
            return new Durations(
                    floor(new DurationKey("idle.timeout", Duration.ofSeconds(30)), c.idle_timeout(), c.idle_timeout_ms(), 100),
                    floor(new DurationKey("read.deadline", Duration.ofSeconds(10)), c.read_deadline(), c.read_deadline_ms(), 100),
                    new DurationKey("call.timeout", Duration.ZERO).millis(c.call_timeout(), c.call_timeout_ms()),
                    floor(new DurationKey("stop.timeout", Duration.ofSeconds(5)), c.stop_timeout(), c.stop_timeout_ms(), 0),
                    floor(new DurationKey("probe.timeout", Duration.ofSeconds(2)), c.probe_timeout(), c.probe_timeout_ms(), 100),
                    floor(new DurationKey("scan.interval", Duration.ofSeconds(1)), c.scan_interval(), c.scan_interval_ms(), 50));
        }

        private static long floor(DurationKey key, String text, long legacyMs, long floorMs) {
            long ms = key.millis(text, legacyMs);
            if (ms >= floorMs) {
                return ms;
            }
            boolean legacy = (text == null || text.isBlank()) && legacyMs != DurationKey.NOT_GIVEN;
            LOG.warn("Configuration {}: {} = {} is below its minimum; using {}", BridgeConfig.PID,
                    legacy ? key.legacyKey() : key.key(), legacy ? legacyMs : text,
                    legacy ? floorMs : GoDuration.format(Duration.ofMillis(floorMs)));
            return floorMs;
        }
    }

    /**
     * A configured number below what the bridge can work with is raised to that floor, with one
     * warning, rather than refused.
     *
     * @param key the configuration key, as written in the configuration
     * @param given the configured value
     * @param floor the smallest value used
     * @return {@code given}, or {@code floor} when it is smaller
     */
    static long atLeast(String key, long given, long floor) {
        if (given >= floor) {
            return given;
        }
        LOG.warn("Configuration {}: {} = {} is below its minimum; using {}", BridgeConfig.PID, key, given, floor);
        return floor;
    }

    /**
     * @param configured the configured level; negative when the configuration sets none
     * @param property the framework property {@value BridgeConfig#LOG_LEVEL_PROPERTY}, or {@code null}
     * @return the configured level, else the property's (0 to 5), else {@value BridgeConfig#DEFAULT_LOG_LEVEL}
     */
    static int logLevel(int configured, String property) {
        if (configured >= 0) {
            return configured;
        }
        if (property == null || property.isBlank()) {
            return BridgeConfig.DEFAULT_LOG_LEVEL;
        }
        try {
            int level = Integer.parseInt(property.trim());
            if (level >= 0 && level <= 5) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("Invalid {} \"{}\": use a level from 0 (panic) to 5 (debug); using {}",
                BridgeConfig.LOG_LEVEL_PROPERTY, property, BridgeConfig.DEFAULT_LOG_LEVEL);
        return BridgeConfig.DEFAULT_LOG_LEVEL;
    }

    /** Starts the importer and the periodic retry of sockets that could not be served. */
    @Activate
    void start() {
        // the first socket's costs (native library, Jetty, JSON codec), paid on two threads of their own
        threads.prepareInBackground();
        // A retry probes the live socket that holds the name; every few seconds is soon enough.
        long retryMs = Math.max(scanIntervalMs, 5_000);
        exportThread.scheduleWithFixedDelay(exporter::retry, retryMs, retryMs, TimeUnit.MILLISECONDS);
        if (importer != null) {
            importer.start();
        }
    }

    /** Unregisters the proxies, then closes every socket this bridge made, then its threads. */
    @Deactivate
    void stop() {
        closed = true;
        if (importer != null) {
            importer.close();
        }
        // Orderly: the periodic retry is dropped, queued events are skipped (closed is set), and a
        // socket being started or stopped right now finishes. Interrupting it would cut a Jetty
        // start or stop in half and leave a selector running until the shared pool gives up on it.
        exportThread.shutdown();
        try {
            if (!exportThread.awaitTermination(stopTimeoutMs + 5_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("The RPC bridge's export thread did not finish its task in time; interrupting it");
                exportThread.shutdownNow();
                if (!exportThread.awaitTermination(1_000, TimeUnit.MILLISECONDS)) {
                    LOG.warn("The RPC bridge's export thread did not stop");
                }
            }
        } catch (InterruptedException e) {
            exportThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        exporter.close();
        threads.close();
        LOG.info("RPC bridge on {} stopped", dir);
    }

    private void onExportThread(Runnable task) {
        if (closed) {
            return;
        }
        try {
            exportThread.execute(() -> {
                if (closed) {
                    // stopping: exporter.close() closes whatever is open
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Exporting a plugin service failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private static Object key(PluginKind kind, Map<String, Object> props) {
        return kind + ":" + props.get(Constants.SERVICE_ID);
    }

    private void added(PluginKind kind, Object service, Map<String, Object> props) {
        onExportThread(() -> exporter.add(key(kind, props), kind, service, props));
    }

    private void updated(PluginKind kind, Object service, Map<String, Object> props) {
        onExportThread(() -> exporter.modify(key(kind, props), kind, service, props));
    }

    private void removed(PluginKind kind, Map<String, Object> props) {
        onExportThread(() -> exporter.remove(key(kind, props)));
    }

    @Reference(name = "group", service = GroupPlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = EXPORTABLE,
            unbind = "unbindGroup", updated = "updatedGroup")
    void bindGroup(GroupPlugin plugin, Map<String, Object> props) {
        added(PluginKind.GROUP, plugin, props);
    }

    void updatedGroup(GroupPlugin plugin, Map<String, Object> props) {
        updated(PluginKind.GROUP, plugin, props);
    }

    void unbindGroup(GroupPlugin plugin, Map<String, Object> props) {
        removed(PluginKind.GROUP, props);
    }

    @Reference(name = "instance", service = InstancePlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = EXPORTABLE,
            unbind = "unbindInstance", updated = "updatedInstance")
    void bindInstance(InstancePlugin plugin, Map<String, Object> props) {
        added(PluginKind.INSTANCE, plugin, props);
    }

    void updatedInstance(InstancePlugin plugin, Map<String, Object> props) {
        updated(PluginKind.INSTANCE, plugin, props);
    }

    void unbindInstance(InstancePlugin plugin, Map<String, Object> props) {
        removed(PluginKind.INSTANCE, props);
    }

    @Reference(name = "flavor", service = FlavorPlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = EXPORTABLE,
            unbind = "unbindFlavor", updated = "updatedFlavor")
    void bindFlavor(FlavorPlugin plugin, Map<String, Object> props) {
        added(PluginKind.FLAVOR, plugin, props);
    }

    void updatedFlavor(FlavorPlugin plugin, Map<String, Object> props) {
        updated(PluginKind.FLAVOR, plugin, props);
    }

    void unbindFlavor(FlavorPlugin plugin, Map<String, Object> props) {
        removed(PluginKind.FLAVOR, props);
    }

    @Override
    public Path pluginsDir() {
        return dir;
    }

    @Override
    public List<ExportedPlugin> exported() {
        return exporter.exported();
    }

    @Override
    public List<PluginProblem> notExported() {
        return exporter.notExported();
    }

    @Override
    public List<ImportedPlugin> imported() {
        return importer == null ? List.of() : importer.imported();
    }

    @Override
    public List<PluginProblem> notImported() {
        return importer == null ? List.of() : importer.notImported();
    }
}
