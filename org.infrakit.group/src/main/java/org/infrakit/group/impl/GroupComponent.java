package org.infrakit.group.impl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GoDuration;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginName;
import org.osgi.framework.BundleContext;
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
 * The default group plugin as a service: {@code infrakit.plugin.name=group}, configured under PID
 * {@value GroupConfig#PID}. Instance and flavor plugins are whatever services of those types carry
 * a plugin name, local bundles and imported sockets alike; they may come and go at any time.
 *
 * <p>The component owns its threads (a timer thread and a pool of workers for passes and plugin
 * calls) and stops them on deactivation. Activation does not block: the stored specs are loaded on
 * a worker thread.
 */
@Component(name = "group", service = GroupPlugin.class, configurationPid = GroupConfig.PID, immediate = true)
@Designate(ocd = GroupConfig.class)
@PluginName("group")
public final class GroupComponent implements GroupPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(GroupComponent.class);

    private final PluginRegistry registry = new PluginRegistry();
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final GroupEngine engine;

    /** @throws IllegalArgumentException when the configuration is invalid (not activated; the reason is logged) */
    @Activate
    public GroupComponent(GroupConfig config, BundleContext context) {
        this(config, InfrakitPaths.resolve(context::getProperty));
    }

    GroupComponent(GroupConfig config, InfrakitPaths paths) {
        EngineOptions options;
        try {
            options = options(config);
        } catch (IllegalArgumentException e) {
            LOG.error("The group plugin is not started: {}", e.getMessage());
            throw e;
        }
        Path stateDir = stateDir(config.state_dir(), paths);
        timers = Executors.newSingleThreadScheduledExecutor(threads("infrakit-group-timer"));
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads("infrakit-group-worker"));
        engine = new GroupEngine(registry, new ExecutorScheduler(timers), workers, options, new SpecStore(stateDir));
        registry.addListener(engine::pluginsChanged);
        LOG.info("Group plugin: poll interval {}, update poll interval {}, parallelism {}, max group size {}, state in {}",
                GoDuration.format(options.pollInterval()), GoDuration.format(options.updatePollInterval()),
                options.parallelism(), options.maxGroupSize(), stateDir);
        workers.execute(engine::start);
    }

    /** @throws IllegalArgumentException naming the bad key as written in the file ({@code poll.interval}) */
    static EngineOptions options(GroupConfig config) {
        Duration poll = duration("poll.interval", config.poll_interval());
        Duration updatePoll = duration("update.poll.interval", config.update_poll_interval());
        if (config.parallelism() < 1) {
            throw new IllegalArgumentException("Invalid parallelism " + config.parallelism() + ": must be at least 1");
        }
        if (config.max_group_size() < 1) {
            throw new IllegalArgumentException("Invalid max.group.size " + config.max_group_size() + ": must be at least 1");
        }
        return new EngineOptions(poll, updatePoll, config.parallelism(), null, config.max_group_size());
    }

    private static Duration duration(String key, String text) {
        Duration d;
        try {
            d = GoDuration.parse(text == null ? "" : text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + key + " \"" + text + "\": " + e.getMessage()
                    + " (a Go duration such as 10s, 500ms or 1m30s)");
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("Invalid " + key + " \"" + text + "\": must be greater than zero");
        }
        return d;
    }

    /** @return the configured directory, else {@code <home>/groups} */
    static Path stateDir(String configured, InfrakitPaths paths) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return paths.groups();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops supervising, then stops the threads (waiting briefly for plugin calls in flight). */
    @Deactivate
    void deactivate() {
        engine.close();
        timers.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Group plugin: plugin calls still running after 5 s; interrupting them");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Reference(name = "instancePlugins", service = InstancePlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindInstancePlugin", updated = "updatedInstancePlugin")
    void bindInstancePlugin(InstancePlugin plugin, Map<String, Object> properties) {
        registry.add(InstancePlugin.class, plugin, properties);
    }

    void updatedInstancePlugin(InstancePlugin plugin, Map<String, Object> properties) {
        registry.update(InstancePlugin.class, plugin, properties);
    }

    void unbindInstancePlugin(InstancePlugin plugin) {
        registry.remove(InstancePlugin.class, plugin);
    }

    @Reference(name = "flavorPlugins", service = FlavorPlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindFlavorPlugin", updated = "updatedFlavorPlugin")
    void bindFlavorPlugin(FlavorPlugin plugin, Map<String, Object> properties) {
        registry.add(FlavorPlugin.class, plugin, properties);
    }

    void updatedFlavorPlugin(FlavorPlugin plugin, Map<String, Object> properties) {
        registry.update(FlavorPlugin.class, plugin, properties);
    }

    void unbindFlavorPlugin(FlavorPlugin plugin) {
        registry.remove(FlavorPlugin.class, plugin);
    }

    @Override
    public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
        return engine.commitGroup(spec, pretend);
    }

    @Override
    public void freeGroup(String id) throws PluginException {
        engine.freeGroup(id);
    }

    @Override
    public GroupDescription describeGroup(String id) throws PluginException {
        return engine.describeGroup(id);
    }

    @Override
    public void destroyGroup(String id) throws PluginException {
        engine.destroyGroup(id);
    }

    @Override
    public List<GroupSpec> inspectGroups() throws PluginException {
        return engine.inspectGroups();
    }
}
