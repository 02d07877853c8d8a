package org.infrakit.group.impl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default group plugin, free of any framework: groups of instances that scale, heal, roll and
 * keep quorum (group-plugin.md, with DECISIONS.md D3).
 *
 * <p>Construct it with the plugins to use ({@link PluginLookup}), a {@link Scheduler}, an executor
 * for passes and plugin calls, the {@link EngineOptions} and, for specs that survive a restart, a
 * {@link SpecStore}; then call {@link #start()}. The executor must not queue tasks behind running
 * ones (a cached thread pool, or a direct executor in tests): a pass waits for the creations it
 * started.
 *
 * <p>Concurrency: there is no plugin-wide lock. Calls for the same group ID are serialised (a lock
 * per ID, held across the call's plugin calls); calls for different groups run independently, and
 * a slow plugin only holds up its own groups. Each group's state is guarded by its
 * {@link GroupSupervisor}.
 */
public final class GroupEngine implements GroupPlugin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupEngine.class);

    private final PluginLookup lookup;
    private final SpecStore store;
    private final GroupSupervisor.Context ctx;
    private final Map<String, GroupSupervisor> groups = new ConcurrentHashMap<>();
    private final KeyedLocks locks = new KeyedLocks();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean closed;

    /**
     * @param lookup finds instance and flavor plugins by name
     * @param scheduler time and timers
     * @param executor runs passes and plugin calls; must not queue tasks behind running ones
     * @param options tuning
     * @param store where committed specs are kept, or {@code null} to keep them in memory only
     */
    public GroupEngine(PluginLookup lookup, Scheduler scheduler, Executor executor, EngineOptions options,
            SpecStore store) {
        this.lookup = lookup;
        this.store = store;
        this.ctx = new GroupSupervisor.Context(lookup, scheduler, executor, options);
        if (store == null) {
            started.countDown(); // nothing to load
        }
    }

    /**
     * Loads the stored specs and resumes managing their groups: the groups' existing instances are
     * adopted by their tags. A group that was paused by a failed DestroyGroup is loaded paused, as
     * it was left: listed, not converged, nothing created or destroyed for it until DestroyGroup or
     * CommitGroup is called for it. Unusable files are logged and moved aside. With a store, calls
     * made before this returns wait for it (at most 30 s); without one, calling it is optional.
     */
    public void start() {
        try {
            if (store == null || closed) {
                return;
            }
            for (SpecStore.Stored stored : store.load()) {
                if (closed) {
                    return;
                }
                GroupSpec spec = stored.spec();
                GroupSettings settings;
                try {
                    settings = checkStatic(spec);
                } catch (PluginException e) {
                    store.quarantine(stored.file(), e.getMessage());
                    if (stored.paused()) {
                        // it would pause the next group committed under this ID
                        dropPause(spec.id());
                    }
                    continue;
                }
                GroupSupervisor sup = new GroupSupervisor(spec.id(), settings, ctx, true);
                if (stored.paused()) {
                    sup.suspend(); // before it is visible: no pass ever starts
                }
                if (groups.putIfAbsent(spec.id(), sup) != null) {
                    continue;
                }
                if (stored.paused()) {
                    LOG.warn("Group '{}' is paused since a DestroyGroup failed: nothing is created or destroyed for it "
                            + "until DestroyGroup is called again or a CommitGroup manages it again", spec.id());
                } else {
                    LOG.info("Resumed group '{}': {}", spec.id(), UpdatePlan.managing(settings.desiredCount()));
                    sup.start();
                }
            }
        } finally {
            started.countDown();
        }
    }

    /** Stops supervising every group. Instances are left as they are. */
    @Override
    public void close() {
        closed = true;
        started.countDown();
        for (GroupSupervisor sup : groups.values()) {
            sup.stop();
        }
    }

    /** Tells the engine that plugin services appeared: groups waiting for them resume at once. */
    public void pluginsChanged() {
        for (GroupSupervisor sup : groups.values()) {
            if (sup.waitingForPlugins()) {
                sup.wake();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Group/0.1.0

    @Override
    public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
        awaitStarted();
        GroupSettings next = validate(spec);
        String id = next.id();
        try (KeyedLocks.Held held = locks.lock(id)) {
            if (closed && !pretend) {
                throw new PluginException("The group plugin is stopping; commit again when it is back");
            }
            GroupSupervisor sup = groups.get(id);
            if (sup == null) {
                String details = UpdatePlan.managing(next.desiredCount());
                if (!pretend) {
                    save(spec);
                    sup = new GroupSupervisor(id, next, ctx, false);
                    groups.put(id, sup);
                    LOG.info("Watching group '{}': {}", id, details);
                    sup.start();
                }
                return details;
            }
            UpdatePlan plan = sup.plan(next, pretend);
            if (!pretend) {
                save(spec);
                if (sup.suspended()) {
                    // after the save: a crash in between leaves the new spec paused, never the old one managed
                    try {
                        unpause(id);
                    } catch (PluginException e) {
                        throw new PluginException(e.getMessage() + "; the spec is saved but the group stays paused: "
                                + "commit again to retry", e);
                    }
                    sup.resume();
                    LOG.info("Managing group '{}' again, paused since a DestroyGroup failed", id);
                }
                sup.apply(next, plan);
            }
            return plan.details();
        }
    }

    @Override
    public void freeGroup(String id) throws PluginException {
        awaitStarted();
        String key = id == null ? "" : id;
        try (KeyedLocks.Held held = locks.lock(key)) {
            GroupSupervisor sup = groups.get(key);
            if (sup == null) {
                throw Failures.notWatched(key);
            }
            forget(key);
            groups.remove(key);
            sup.stop();
            LOG.info("Ignored group '{}'", key);
        }
    }

    @Override
    public GroupDescription describeGroup(String id) throws PluginException {
        awaitStarted();
        String key = id == null ? "" : id;
        GroupSupervisor sup = groups.get(key);
        if (sup == null) {
            throw Failures.notWatched(key);
        }
        GroupSettings settings = sup.settings();
        InstancePlugin ip = lookup.instancePlugin(settings.instanceRef());
        if (ip == null) {
            throw new PluginException(Failures.notFound("Instance", settings.properties().instance().plugin()));
        }
        List<InstanceDescription> listed;
        try {
            listed = ip.describeInstances(Map.of(GroupTags.GROUP, key), false);
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        return new GroupDescription(listed, sup.converged(sup.members(listed)));
    }

    /**
     * Drains and destroys every member of the group, then stops managing it and removes its stored
     * spec. The group is given up only once every member is gone: when its instance or flavor
     * plugin is missing nothing is done ({@code Failed to find Instance plugin '…':…}), and when the
     * members cannot be listed or some cannot be destroyed the call fails, naming them, and the
     * group is kept, stored and paused: nothing is created or destroyed for it (what was destroyed
     * stays destroyed) until DestroyGroup is called again or a CommitGroup manages it again. With a
     * store the pause is stored too, so that the group is still paused after a restart; when it
     * cannot be stored the call's message says so.
     */
    @Override
    public void destroyGroup(String id) throws PluginException {
        awaitStarted();
        String key = id == null ? "" : id;
        try (KeyedLocks.Held held = locks.lock(key)) {
            GroupSupervisor sup = groups.get(key);
            if (sup == null) {
                throw Failures.notWatched(key);
            }
            GroupSettings gs = sup.settings();
            InstancePlugin ip = findInstance(gs.properties().instance().plugin());
            FlavorPlugin fp = findFlavor(gs.properties().flavor().plugin());
            // A pass still running may be creating instances: wait for it, so none is left behind.
            sup.suspend();
            sup.awaitIdle();
            try {
                sup.destroyAll(ip, fp);
            } catch (PluginException | RuntimeException e) {
                // kept paused: resuming would create again what was just destroyed
                LOG.warn("Group '{}' is paused after a failed DestroyGroup: {}", key, e.getMessage());
                try {
                    pause(key, Failures.text(e));
                } catch (PluginException notStored) {
                    throw new PluginException(Failures.text(e) + "; " + notStored.getMessage()
                            + ", so a restart manages the group again", e);
                }
                throw e;
            }
            groups.remove(key);
            sup.stop();
            LOG.info("Ignored group '{}'", key);
            try {
                forget(key);
            } catch (PluginException e) {
                throw new PluginException(e.getMessage() + "; every instance was destroyed and the group is no "
                        + "longer watched, but it is managed again after a restart unless the file is removed", e);
            }
        }
    }

    @Override
    public List<GroupSpec> inspectGroups() throws PluginException {
        awaitStarted();
        Map<String, GroupSettings> all = new HashMap<>();
        groups.forEach((id, sup) -> all.put(id, sup.settings()));
        List<String> ids = new ArrayList<>(all.keySet());
        ids.sort(Tags.UTF8_ORDER);
        List<GroupSpec> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(new GroupSpec(id, all.get(id).properties().toJson()));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // Validation (group-plugin.md §2)

    /**
     * Validates a spec in the reference's order: ID, properties, allocation, flavor plugin and its
     * validation, instance plugin and its validation.
     */
    private GroupSettings validate(GroupSpec spec) throws PluginException {
        if (spec == null) {
            throw new PluginException("Group ID must not be blank");
        }
        GroupSettings settings = checkStatic(spec);
        GroupProperties props = settings.properties();
        Allocation allocation = props.allocation();

        FlavorPlugin flavor = findFlavor(props.flavor().plugin());
        try {
            flavor.validate(props.flavor().properties(), allocation);
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        InstancePlugin instance = findInstance(props.instance().plugin());
        try {
            instance.validate(props.instance().properties());
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        return settings;
    }

    /** The checks that need no plugin: ID, properties, allocation; and the configuration hash. */
    private static GroupSettings checkStatic(GroupSpec spec) throws PluginException {
        if (spec.id() == null || spec.id().isBlank()) {
            throw new PluginException("Group ID must not be blank");
        }
        GroupProperties props = GroupProperties.parse(spec.properties());
        Allocation a = props.allocation();
        boolean byIds = a.logicalIDs() != null && !a.logicalIDs().isEmpty();
        if (a.size() == 0 && !byIds) {
            throw new PluginException("Allocation must not be blank");
        }
        if (a.size() > 0 && byIds) {
            throw new PluginException("Only one Allocation method may be used");
        }
        return GroupSettings.of(spec.id(), props);
    }

    private FlavorPlugin findFlavor(String name) throws PluginException {
        PluginRef ref = PluginRef.parse(name);
        FlavorPlugin p = PluginRef.nameProblem(ref.name()) == null ? lookup.flavorPlugin(ref) : null;
        if (p == null) {
            throw new PluginException(Failures.notFound("Flavor", name));
        }
        return p;
    }

    private InstancePlugin findInstance(String name) throws PluginException {
        PluginRef ref = PluginRef.parse(name);
        InstancePlugin p = PluginRef.nameProblem(ref.name()) == null ? lookup.instancePlugin(ref) : null;
        if (p == null) {
            throw new PluginException(Failures.notFound("Instance", name));
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------------
    // Persistence

    private void save(GroupSpec spec) throws PluginException {
        if (store == null) {
            return;
        }
        try {
            store.save(spec);
        } catch (IOException | RuntimeException e) {
            throw new PluginException("Failed to save the spec of group '" + spec.id() + "' in " + store.dir() + ": "
                    + Failures.text(e), e);
        }
    }

    private void forget(String id) throws PluginException {
        if (store == null) {
            return;
        }
        try {
            store.delete(id);
        } catch (IOException | RuntimeException e) {
            throw new PluginException("Failed to remove the spec of group '" + id + "' from " + store.dir() + ": "
                    + Failures.text(e), e);
        }
    }

    private void pause(String id, String reason) throws PluginException {
        if (store == null) {
            return;
        }
        try {
            store.markPaused(id, "Paused since a DestroyGroup failed: " + reason);
        } catch (IOException | RuntimeException e) {
            throw new PluginException("Failed to store the pause of group '" + id + "' in " + store.dir() + ": "
                    + Failures.text(e), e);
        }
    }

    private void unpause(String id) throws PluginException {
        if (store == null) {
            return;
        }
        try {
            store.clearPaused(id);
        } catch (IOException | RuntimeException e) {
            throw new PluginException("Failed to remove the pause marker of group '" + id + "' from " + store.dir()
                    + ": " + Failures.text(e), e);
        }
    }

    /** Removes the pause marker of a group whose spec was put aside; a failure is only logged. */
    private void dropPause(String id) {
        try {
            store.clearPaused(id);
            LOG.info("Removed the pause marker {} with the spec it belonged to", store.markerFor(id));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot remove the pause marker {} of the group '{}' put aside; a group committed under that ID "
                    + "would be paused at the next start: {}", store.markerFor(id), id, Failures.text(e));
        }
    }

    private void awaitStarted() {
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                LOG.warn("The stored group specs are still loading; answering anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Locks by key, serialising calls for the same group; entries disappear when unused. */
    static final class KeyedLocks {
        private final Map<String, Entry> entries = new HashMap<>();

        private static final class Entry {
            final ReentrantLock lock = new ReentrantLock();
            int users;
        }

        /** A held lock; closing releases it. */
        interface Held extends AutoCloseable {
            @Override
            void close();
        }

        Held lock(String key) {
            Entry e;
            synchronized (entries) {
                e = entries.computeIfAbsent(key, k -> new Entry());
                e.users++;
            }
            e.lock.lock();
            return () -> {
                e.lock.unlock();
                synchronized (entries) {
                    if (--e.users == 0) {
                        entries.remove(key);
                    }
                }
            };
        }
    }
}
