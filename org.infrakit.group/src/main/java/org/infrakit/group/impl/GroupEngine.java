package org.infrakit.group.impl;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default group plugin, free of any framework: groups of instances that scale, heal, roll and
 * keep quorum (group-plugin.md, with departures.md D3).
 *
 * <p>Construct it with the plugins to use ({@link PluginLookup}), a {@link Scheduler}, an executor
 * for passes and plugin calls, the {@link EngineOptions} and, for specs that survive a restart, a
 * {@link SpecStore}; then call {@link #start()}. The executor must not queue tasks behind running
 * ones (a cached thread pool, or a direct executor in tests): a pass waits for the creations it
 * started.
 *
 * <p>Concurrency: there is no plugin-wide lock. Calls for the same group ID are serialised (a lock
 * per ID, held across the call's plugin calls); calls for different groups run independently, and
 * a slow plugin only holds up its own groups. Each group's state is owned by its
 * {@link GroupLoop}.
 */
public final class GroupEngine implements GroupPlugin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupEngine.class);

    private final PluginLookup lookup;
    private final StoredGroups store;
    private final CommitChecks checks;
    private final LoopContext ctx;
    private final Map<String, GroupLoop> groups = new ConcurrentHashMap<>();
    private final KeyedLocks locks = new KeyedLocks();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean closed;

    /**
     * @param executor runs passes and plugin calls; must not queue tasks behind running ones
     * @param store where committed specs are kept, or {@code null} to keep them in memory only
     */
    public GroupEngine(PluginLookup lookup, Scheduler scheduler, Executor executor, EngineOptions options,
            SpecStore store) {
        this(lookup, scheduler, executor, options, store, ReconcileGate.ALWAYS);
    }

    /** As above, with the gate every pass asks before it corrects a group. */
    public GroupEngine(PluginLookup lookup, Scheduler scheduler, Executor executor, EngineOptions options,
            SpecStore store, ReconcileGate gate) {
        this.lookup = lookup;
        this.store = new StoredGroups(store);
        this.checks = new CommitChecks(lookup, options.maxGroupSize());
        this.ctx = new LoopContext(lookup, scheduler, executor, options, gate);
        if (store == null) {
            started.countDown(); // nothing to load
        }
    }

    /**
     * Loads the stored specs and resumes managing their groups, adopting their instances by tag. A
     * group paused by a failed DestroyGroup is loaded paused. Unusable files are moved aside. With a
     * store, calls made before this returns wait for it (at most 30 s).
     */
    public void start() {
        try {
            for (SpecStore.Stored stored : closed ? List.<SpecStore.Stored>of() : store.load()) {
                GroupSpec spec = stored.spec();
                if (closed) {
                    return;
                }
                GroupSettings settings;
                try {
                    settings = CommitChecks.checkStatic(spec);
                } catch (PluginException e) {
                    store.quarantine(stored, e.getMessage());
                    continue;
                }
                GroupLoop loop = new GroupLoop(spec.id(), settings, ctx, true);
                if (stored.paused()) {
                    loop.suspend(); // before it is visible: no pass ever starts
                }
                if (groups.putIfAbsent(spec.id(), loop) != null) {
                    continue;
                }
                if (stored.paused()) {
                    LOG.warn("Group '{}' is paused since a DestroyGroup failed: nothing is created or destroyed for it "
                            + "until DestroyGroup is called again or a CommitGroup manages it again", spec.id());
                } else {
                    LOG.info("Resumed group '{}': {}", spec.id(), UpdatePlan.managing(settings.desiredCount()));
                    loop.wake();
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
        for (GroupLoop loop : groups.values()) {
            loop.stop();
        }
    }

    /** Tells the engine that plugin services appeared: groups waiting for them resume at once. */
    public void pluginsChanged() {
        for (GroupLoop loop : groups.values()) {
            if (loop.snapshot().waiting()) {
                loop.wake();
            }
        }
    }

    @Override
    public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
        awaitStarted();
        GroupSettings next = checks.check(spec);
        String id = next.id();
        try (KeyedLocks.Held held = locks.lock(id)) {
            if (closed && !pretend) {
                throw new PluginException("The group plugin is stopping; commit again when it is back");
            }
            GroupLoop loop = groups.get(id);
            if (loop == null) {
                String details = UpdatePlan.managing(next.desiredCount());
                if (!pretend) {
                    store.save(spec);
                    loop = new GroupLoop(id, next, ctx, false);
                    groups.put(id, loop);
                    LOG.info("Watching group '{}': {}", id, details);
                    loop.wake();
                }
                return details;
            }
            UpdatePlan plan = UpdatePlan.of(loop.snapshot().settings(), next, lookup, loop.members(), pretend);
            if (!pretend) {
                store.save(spec);
                if (loop.suspended()) {
                    // after the save: a crash in between leaves the new spec paused, never the old one managed
                    try {
                        store.unpause(id);
                    } catch (PluginException e) {
                        throw new PluginException(e.getMessage() + "; the spec is saved but the group stays paused: "
                                + "commit again to retry", e);
                    }
                    loop.resume();
                    LOG.info("Managing group '{}' again, paused since a DestroyGroup failed", id);
                }
                loop.apply(next, plan);
            }
            return plan.details();
        }
    }

    @Override
    public void freeGroup(String id) throws PluginException {
        awaitStarted();
        String key = id == null ? "" : id;
        try (KeyedLocks.Held held = locks.lock(key)) {
            GroupLoop loop = groups.get(key);
            if (loop == null) {
                throw Failures.notWatched(key);
            }
            store.forget(key);
            groups.remove(key);
            loop.stop();
            LOG.info("Ignored group '{}'", key);
        }
    }

    @Override
    public GroupDescription describeGroup(String id) throws PluginException {
        awaitStarted();
        String key = id == null ? "" : id;
        GroupLoop loop = groups.get(key);
        if (loop == null) {
            throw Failures.notWatched(key);
        }
        GroupLoop.Snapshot s = loop.snapshot();
        GroupSettings settings = s.settings();
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
        return new GroupDescription(listed, converged(loop, s, loop.members().filter(listed)));
    }

    /**
     * Whether the group matches its last commit (departures D3): not paused, its plugins there (a group
     * waiting for one is not corrected), no update in flight, the members exactly what is asked for.
     */
    private boolean converged(GroupLoop loop, GroupLoop.Snapshot s, List<InstanceDescription> members) {
        GroupSettings gs = s.settings();
        if (s.update() != null || s.waiting() || loop.suspended() || lookup.instancePlugin(gs.instanceRef()) == null
                || lookup.flavorPlugin(gs.flavorRef()) == null) {
            return false;
        }
        return gs.isQuorum() ? Quorum.converged(gs, members) : Scaler.converged(gs, members);
    }

    /**
     * Drains and destroys every member, then stops managing the group and removes its spec. Without
     * its instance or flavor plugin nothing is done. When members cannot be listed or destroyed the
     * call fails naming them, and the group is kept, stored and paused (the pause stored too, or the
     * message says why not) until DestroyGroup is called again or a CommitGroup manages it again.
     */
    @Override
    public void destroyGroup(String id) throws PluginException {
        awaitStarted();
        String key = id == null ? "" : id;
        try (KeyedLocks.Held held = locks.lock(key)) {
            GroupLoop loop = groups.get(key);
            if (loop == null) {
                throw Failures.notWatched(key);
            }
            GroupSettings gs = loop.snapshot().settings();
            InstancePlugin ip = checks.findInstance(gs.properties().instance().plugin());
            FlavorPlugin fp = checks.findFlavor(gs.properties().flavor().plugin());
            // A pass still running may be creating instances: wait for it, so none is left behind.
            loop.suspend();
            loop.awaitIdle();
            try {
                loop.destroyAll(ip, fp);
            } catch (PluginException | RuntimeException e) {
                // kept paused: resuming would create again what was just destroyed
                LOG.warn("Group '{}' is paused after a failed DestroyGroup: {}", key, e.getMessage());
                try {
                    store.pause(key, Failures.text(e));
                } catch (PluginException notStored) {
                    throw new PluginException(Failures.text(e) + "; " + notStored.getMessage()
                            + ", so a restart manages the group again", e);
                }
                throw e;
            }
            groups.remove(key);
            loop.stop();
            LOG.info("Ignored group '{}'", key);
            try {
                store.forget(key);
            } catch (PluginException e) {
                throw new PluginException(e.getMessage() + "; every instance was destroyed and the group is no "
                        + "longer watched, but it is managed again after a restart unless the file is removed", e);
            }
        }
    }

    @Override
    public List<GroupSpec> inspectGroups() throws PluginException {
        awaitStarted();
        Map<String, GroupSettings> all = new TreeMap<>(Tags.UTF8_ORDER);
        groups.forEach((id, loop) -> all.put(id, loop.snapshot().settings()));
        return all.entrySet().stream().map(e -> new GroupSpec(e.getKey(), e.getValue().properties().toJson())).toList();
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
}
