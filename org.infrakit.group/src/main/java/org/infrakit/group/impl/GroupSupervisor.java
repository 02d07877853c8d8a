package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one group at its settings: one pass now and then (the scaler for a group allocated by
 * size, the quorum for one allocated by logical IDs), plus the rolling update when one is in
 * flight.
 *
 * <p>Passes of one group never overlap; passes of different groups are independent. A pass waits
 * for the creations and destructions it started. Requests for a pass while one runs collapse into
 * one pass right after it. While a rolling update waits for a replacement to become healthy, the
 * next pass comes after the (short) update poll interval instead of the poll interval.
 *
 * <p>Locking: {@link #lock} guards the state below and is held only for short reads and writes,
 * never across a plugin call. Each pass works on a snapshot of the settings taken when it starts.
 *
 * <p>Never more instances than asked: an instance the group provisioned counts as a member until
 * the instance plugin lists it (or a grace period passes), and once a creation fails in a pass no
 * further creation is started before the group was listed again.
 */
final class GroupSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSupervisor.class);
    private static final long NONE = Long.MAX_VALUE;
    /** What {@link #step} returns to have the next step run at once. */
    private static final long AGAIN = -1;
    /** After this long without progress, a rolling update checks health at the poll interval. */
    private static final long STALLED_NANOS = 60_000_000_000L;
    /** How many of the instances that DestroyGroup could not destroy its error names. */
    private static final int NAMED_FAILURES = 5;
    private static final Comparator<InstanceDescription> BY_ID = Comparator.comparing(InstanceDescription::id,
            Tags.UTF8_ORDER);

    /** Engine-wide collaborators. */
    record Context(PluginLookup lookup, Scheduler scheduler, Executor executor, EngineOptions options) {
    }

    /** A consistent view of the group's state, taken under the lock. */
    record Snapshot(GroupSettings settings, long target, RollingUpdate update) {
    }

    private record Pending(String logicalID, long deadline) {
    }

    private final String id;
    private final Context ctx;
    private final long pollNanos;
    private final long healthNanos;
    private final Object lock = new Object();

    // guarded by lock
    private GroupSettings settings;
    private long target;
    private RollingUpdate update;
    private boolean stopped;
    private boolean suspended;
    private boolean running;
    private Scheduler.Timer timer;
    private long timerDue = NONE;
    private long requestedAt = NONE;
    private long nextSequence = -1;
    private String unavailable;
    private boolean resumeRoll;
    private final Map<String, Pending> pending = new HashMap<>();
    private volatile boolean warnedForeign;

    /**
     * @param id the group's ID
     * @param settings its validated settings
     * @param ctx the engine's collaborators
     * @param resumed {@code true} for a group loaded from the state directory: a rolling update of
     *     members on an older configuration resumes at the first pass
     */
    GroupSupervisor(String id, GroupSettings settings, Context ctx, boolean resumed) {
        this.id = id;
        this.ctx = ctx;
        this.settings = settings;
        this.target = settings.size();
        this.resumeRoll = resumed;
        this.pollNanos = ctx.options().pollInterval().toNanos();
        this.healthNanos = ctx.options().healthInterval().toNanos();
    }

    // ---------------------------------------------------------------------------------------------
    // State seen by the engine

    /** @return the group's ID */
    String id() {
        return id;
    }

    /** @return a consistent view of the settings, target and update */
    Snapshot snapshot() {
        synchronized (lock) {
            return new Snapshot(settings, target, update);
        }
    }

    /** @return the settings in force */
    GroupSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    /** @return whether the last pass could not find the group's plugins */
    boolean waitingForPlugins() {
        synchronized (lock) {
            return unavailable != null;
        }
    }

    /**
     * Whether the group matches its most recent commit (DECISIONS D3): it is managed (not paused
     * after a failed DestroyGroup), its instance and flavor plugins are there (a group waiting for a
     * plugin is not corrected, so it is not converged whatever its members look like), no update in
     * flight, the right number of members (exactly
     * one per logical ID), every member on the current configuration.
     *
     * @param members the group's members as just listed
     * @return the verdict
     */
    boolean converged(List<InstanceDescription> members) {
        Snapshot s = snapshot();
        if (s.update() != null || suspended() || waitingForPlugins()
                || ctx.lookup().instancePlugin(s.settings().instanceRef()) == null
                || ctx.lookup().flavorPlugin(s.settings().flavorRef()) == null) {
            return false;
        }
        String hash = s.settings().hash();
        if (s.settings().isQuorum()) {
            Set<String> ids = new HashSet<>(s.settings().logicalIDs());
            Map<String, Integer> counts = new HashMap<>();
            for (InstanceDescription m : members) {
                if (m.logicalID() == null) {
                    continue; // not managed by the quorum (the reference ignores them too)
                }
                if (!ids.contains(m.logicalID()) || !hash.equals(UpdatePlan.hashOf(m, ""))) {
                    return false;
                }
                counts.merge(m.logicalID(), 1, Integer::sum);
            }
            for (String lid : ids) {
                if (counts.getOrDefault(lid, 0) != 1) {
                    return false;
                }
            }
            return true;
        }
        if (members.size() != s.settings().size()) {
            return false;
        }
        for (InstanceDescription m : members) {
            if (!hash.equals(UpdatePlan.hashOf(m, ""))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Commits

    /**
     * Plans a commit: what changes and how to say it. Lists the members through the group's
     * current instance plugin (scaled groups only); unless {@code pretend}, bootstrap members are
     * relabelled first, as every listing does.
     *
     * @param next the committed settings
     * @param pretend whether this is a dry run (then nothing is changed, not even labels)
     * @return the plan
     * @throws PluginException when the members cannot be listed or the change is not supported
     */
    UpdatePlan plan(GroupSettings next, boolean pretend) throws PluginException {
        GroupSettings current = settings();
        if (current.isQuorum()) {
            return UpdatePlan.quorum(current, next);
        }
        if (next.isQuorum()) {
            return UpdatePlan.scaled(current, next, List.of());
        }
        InstancePlugin ip = ctx.lookup().instancePlugin(current.instanceRef());
        if (ip == null) {
            throw new PluginException(Failures.notFound("Instance", current.properties().instance().plugin()));
        }
        List<InstanceDescription> members;
        try {
            members = pretend ? describe(ip) : list(ip, current);
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        return UpdatePlan.scaled(current, next, members);
    }

    /**
     * Switches the group to new settings and starts carrying out the plan. A rolling update in
     * flight is halted first; the new plan continues from the live state.
     *
     * @param next the committed settings
     * @param plan the plan made by {@link #plan} for them
     */
    void apply(GroupSettings next, UpdatePlan plan) {
        synchronized (lock) {
            // A commit that changes nothing (a quorum's "Noop") lets an update to the same
            // configuration go on; any other commit halts it and plans anew from the live state.
            if (plan.rolls() || update == null || !update.hash().equals(next.hash())) {
                haltLocked();
            }
            long sizeAfter = -1;
            if (!next.isQuorum()) {
                if (plan.rolls() && next.size() > target) {
                    // The reference grows the group only once the roll succeeded.
                    sizeAfter = next.size();
                } else {
                    target = next.size();
                }
            }
            settings = next;
            resumeRoll = false;
            if (plan.rolls()) {
                update = new RollingUpdate(next.hash(), sizeAfter);
            }
        }
        LOG.info("Executing update plan for '{}': {}", id, plan.details());
        wake();
    }

    // ---------------------------------------------------------------------------------------------
    // Life cycle of the supervision

    /** Starts supervising: one pass now, then one per poll interval. */
    void start() {
        wake();
    }

    /** Asks for a pass as soon as possible. */
    void wake() {
        synchronized (lock) {
            long now = ctx.scheduler().nanoTime();
            scheduleLocked(now, now);
        }
    }

    /** Stops supervising for good: halts the update, cancels the next pass. A running pass finishes. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            haltLocked();
            cancelTimerLocked();
        }
    }

    /**
     * Suspends supervision while the group is being destroyed, and for a group paused by a failed
     * destroy (also one loaded so, before {@link #start()}, which then starts nothing): no pass
     * starts, and a running pass starts no further creation or destruction and ends. A rolling
     * update in flight is kept. {@link #resume()} undoes this; {@link #stop()} makes it final.
     */
    void suspend() {
        synchronized (lock) {
            suspended = true;
            cancelTimerLocked();
        }
    }

    /**
     * Ends a {@link #suspend() suspension}: the next pass comes one poll interval from now, and a
     * rolling update that was in flight goes on. Does nothing once stopped.
     */
    void resume() {
        synchronized (lock) {
            suspended = false;
            long now = ctx.scheduler().nanoTime();
            scheduleLocked(now + pollNanos, now);
        }
    }

    /** @return whether supervision is suspended ({@link #suspend()}) and not stopped */
    boolean suspended() {
        synchronized (lock) {
            return suspended && !stopped;
        }
    }

    private void cancelTimerLocked() {
        if (timer != null) {
            timer.cancel();
            timer = null;
            timerDue = NONE;
        }
    }

    /** @return whether passes are off: supervision stopped or suspended */
    private boolean haltedLocked() {
        return stopped || suspended;
    }

    /**
     * Waits until no pass is running (after {@link #stop()} or {@link #suspend()}: until none runs
     * any more).
     */
    void awaitIdle() {
        synchronized (lock) {
            while (running) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void haltLocked() {
        if (update != null) {
            LOG.warn("Update to {} failed: Update halted by user", id);
            update = null;
        }
    }

    private void scheduleLocked(long due, long now) {
        if (haltedLocked()) {
            return;
        }
        if (running) {
            requestedAt = Math.min(requestedAt, due);
            return;
        }
        if (timer != null) {
            if (timerDue <= due) {
                return;
            }
            timer.cancel();
            timer = null;
        }
        try {
            timer = ctx.scheduler().schedule(this::fire, due - now);
            timerDue = due;
        } catch (RejectedExecutionException e) {
            timer = null; // shutting down
            timerDue = NONE;
        }
    }

    private void fire() {
        synchronized (lock) {
            if (haltedLocked() || running) {
                return;
            }
            timer = null;
            timerDue = NONE;
            running = true;
        }
        try {
            ctx.executor().execute(this::runPasses);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                running = false;
                lock.notifyAll();
            }
        }
    }

    private void runPasses() {
        long delay = pollNanos;
        try {
            delay = reconcile();
        } catch (RuntimeException e) {
            LOG.error("Group '{}': the pass failed unexpectedly; retrying next pass", id, e);
        } finally {
            synchronized (lock) {
                running = false;
                lock.notifyAll();
                long now = ctx.scheduler().nanoTime();
                long due = Math.min(now + delay, requestedAt);
                requestedAt = NONE;
                scheduleLocked(due, now);
            }
        }
    }

    private long reconcile() {
        while (true) {
            synchronized (lock) {
                if (haltedLocked()) {
                    return pollNanos;
                }
            }
            long next = step();
            if (next != AGAIN) {
                return next;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // One step of a pass

    private long step() {
        Snapshot s = snapshot();
        GroupSettings gs = s.settings();
        InstancePlugin ip = ctx.lookup().instancePlugin(gs.instanceRef());
        FlavorPlugin fp = ctx.lookup().flavorPlugin(gs.flavorRef());
        if (ip == null || fp == null) {
            markUnavailable(ip == null ? Failures.notFound("Instance", gs.properties().instance().plugin())
                    : Failures.notFound("Flavor", gs.properties().flavor().plugin()));
            return pollNanos;
        }
        markAvailable();

        List<InstanceDescription> members;
        try {
            members = list(ip, gs);
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': {}: {}", id, gs.isQuorum() ? "Failed to check group" : "Failed to list group instances",
                    Failures.text(e));
            return pollNanos;
        }

        Ops ops = gs.isQuorum() ? quorumPass(gs, ip, fp, members) : scalerPass(gs, s.target(), ip, fp, members);
        if (ops.failed) {
            return pollNanos;
        }
        RollingUpdate u = s.update();
        if (u == null) {
            return resumeRollIfNeeded(gs, members) ? AGAIN : pollNanos;
        }
        if (ops.performed) {
            try {
                members = list(ip, gs);
            } catch (PluginException | RuntimeException e) {
                LOG.warn("Group '{}': Failed to list group instances: {}", id, Failures.text(e));
                return pollNanos;
            }
        }
        return updateStep(gs, u, ip, fp, members);
    }

    private record Ops(boolean performed, boolean failed) {
        static final Ops NONE = new Ops(false, false);
    }

    private Ops scalerPass(GroupSettings gs, long wanted, InstancePlugin ip, FlavorPlugin fp,
            List<InstanceDescription> members) {
        // Surplus is judged on listed members only, so that nothing real is destroyed because of an
        // instance that was provisioned and is not listed (yet); shortage counts those too, so that
        // nothing is created twice.
        long listed = members.size();
        if (listed > wanted) {
            List<InstanceDescription> sorted = new ArrayList<>(members);
            sorted.sort(BY_ID);
            List<InstanceDescription> victims = sorted.subList(0, (int) Math.min(listed - wanted, sorted.size()));
            LOG.info("Group '{}': {} instances, {} wanted: destroying {}", id, listed, wanted, victims.size());
            boolean ok = runAll(victims.size(), false, true,
                    i -> destroyOne(gs, ip, fp, victims.get(i), DestroyContext.TERMINATING));
            return new Ops(true, !ok);
        }
        long actual = listed + pendingCount();
        if (actual < wanted) {
            int count = (int) Math.min(wanted - actual, Integer.MAX_VALUE);
            LOG.info("Group '{}': {} instances, {} wanted: creating {}", id, actual, wanted, count);
            // An operation that is no longer wanted (the target shrank meanwhile) does nothing.
            boolean ok = runAll(count, true, true, i -> !stillWanted(actual + i) || createOne(gs, ip, fp, null));
            return new Ops(true, !ok);
        }
        return Ops.NONE;
    }

    /** Whether one more instance is wanted when {@code have} exist or are being created. */
    private boolean stillWanted(long have) {
        synchronized (lock) {
            return !haltedLocked() && !settings.isQuorum() && have < target;
        }
    }

    private Ops quorumPass(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp, List<InstanceDescription> members) {
        Set<String> ids = new LinkedHashSet<>(gs.logicalIDs());
        Set<String> present = new HashSet<>(pendingLogicalIDs());
        List<InstanceDescription> unknown = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>(Tags.UTF8_ORDER);
        for (InstanceDescription m : members) {
            if (m.logicalID() == null) {
                LOG.debug("Group '{}': Instance {} has no logical ID", id, m.id());
                continue;
            }
            present.add(m.logicalID());
            counts.merge(m.logicalID(), 1, Integer::sum);
            if (!ids.contains(m.logicalID())) {
                unknown.add(m);
            }
        }
        counts.forEach((lid, n) -> {
            if (n > 1) {
                LOG.warn("Group '{}': {} instances have the logical ID {}", id, n, lid);
            }
        });
        List<String> missing = new ArrayList<>();
        for (String lid : ids) {
            if (!present.contains(lid)) {
                missing.add(lid);
            }
        }
        boolean ok = true;
        if (!unknown.isEmpty()) {
            unknown.sort(BY_ID);
            LOG.info("Group '{}': destroying {} instances with unknown logical IDs", id, unknown.size());
            ok = runAll(unknown.size(), false, true,
                    i -> destroyOne(gs, ip, fp, unknown.get(i), DestroyContext.TERMINATING));
        }
        if (!missing.isEmpty()) {
            LOG.info("Group '{}': creating instances for logical IDs {}", id, missing);
            ok &= runAll(missing.size(), true, true, i -> createOne(gs, ip, fp, missing.get(i)));
        }
        return unknown.isEmpty() && missing.isEmpty() ? Ops.NONE : new Ops(true, !ok);
    }

    private boolean resumeRollIfNeeded(GroupSettings gs, List<InstanceDescription> members) {
        synchronized (lock) {
            if (!resumeRoll) {
                return false;
            }
            resumeRoll = false;
            if (update != null || settings != gs) {
                return false;
            }
            long stale = members.stream().filter(m -> !gs.hash().equals(UpdatePlan.hashOf(m, ""))).count();
            if (stale == 0) {
                return false;
            }
            LOG.info("Group '{}': resuming the rolling update of {} instances", id, stale);
            update = new RollingUpdate(gs.hash(), -1);
            return true;
        }
    }

    private long updateStep(GroupSettings gs, RollingUpdate u, InstancePlugin ip, FlavorPlugin fp,
            List<InstanceDescription> members) {
        String hash = u.hash();
        synchronized (lock) {
            if (update != u) {
                return AGAIN;
            }
            if (u.expected < 0) {
                u.expected = members.stream().filter(m -> hash.equals(UpdatePlan.hashOf(m, ""))).count();
            }
        }
        long k = Math.min(u.expected, gs.desiredCount());
        long healthy = 0;
        // Every member on the new configuration is asked at every wait, also those seen healthy
        // before (group-plugin.md §6.2): a replacement that turns unhealthy fails the update before
        // anything more is destroyed.
        for (InstanceDescription m : members) {
            if (!hash.equals(UpdatePlan.hashOf(m, ""))) {
                continue;
            }
            Health h;
            try {
                h = fp.healthy(gs.properties().flavor().properties(), m);
            } catch (PluginException | RuntimeException e) {
                LOG.debug("Group '{}': health of {} unknown: {}", id, m.id(), Failures.text(e));
                h = Health.UNKNOWN;
            }
            if (h == Health.UNHEALTHY) {
                fail(u, "Instance " + m.id() + " is unhealthy");
                return pollNanos;
            }
            if (h == Health.HEALTHY) {
                healthy++;
            }
        }
        if (healthy < k) {
            LOG.debug("Group '{}': Waiting for scaler to quiesce ({} of {} healthy)", id, healthy, k);
            // Health is checked often so that the roll goes on as soon as a replacement is healthy;
            // an update stalled for a minute (unknown health) is checked at the poll interval only.
            long now = ctx.scheduler().nanoTime();
            if (u.waitingSince < 0) {
                u.waitingSince = now;
            }
            return now - u.waitingSince > STALLED_NANOS ? Math.max(healthNanos, pollNanos) : healthNanos;
        }
        u.waitingSince = -1;
        List<InstanceDescription> undesired = new ArrayList<>();
        for (InstanceDescription m : members) {
            if (!hash.equals(UpdatePlan.hashOf(m, ""))) {
                undesired.add(m);
            }
        }
        if (undesired.isEmpty()) {
            return complete(u) ? AGAIN : pollNanos;
        }
        undesired.sort(BY_ID);
        LOG.info("Group '{}': Found {} undesired instances", id, undesired.size());
        synchronized (lock) {
            if (update != u || haltedLocked()) {
                return AGAIN;
            }
        }
        if (!destroyOne(gs, ip, fp, undesired.get(0), DestroyContext.ROLLING)) {
            return pollNanos;
        }
        synchronized (lock) {
            if (update == u) {
                u.expected++;
            }
        }
        return AGAIN;
    }

    private void fail(RollingUpdate u, String reason) {
        synchronized (lock) {
            if (update != u) {
                return;
            }
            update = null;
        }
        LOG.warn("Update to {} failed: {}", id, reason);
    }

    /** @return whether the group is to grow now */
    private boolean complete(RollingUpdate u) {
        boolean grow = false;
        synchronized (lock) {
            if (update != u) {
                return true;
            }
            update = null;
            if (u.sizeAfter() >= 0 && u.sizeAfter() != target) {
                target = u.sizeAfter();
                grow = true;
            }
        }
        LOG.info("Group {} has converged", id);
        return grow;
    }

    // ---------------------------------------------------------------------------------------------
    // Plugin availability

    private void markUnavailable(String reason) {
        synchronized (lock) {
            if (reason.equals(unavailable)) {
                return;
            }
            unavailable = reason;
        }
        LOG.warn("Group '{}' is not converging: {}; management resumes when the plugin is back", id, reason);
    }

    private void markAvailable() {
        synchronized (lock) {
            if (unavailable == null) {
                return;
            }
            unavailable = null;
        }
        LOG.info("Group '{}': its plugins are available again; management resumes", id);
    }

    // ---------------------------------------------------------------------------------------------
    // Listing

    /**
     * Lists the group's members, relabelling bootstrap members first (group-plugin.md §3.3), and
     * forgets pending creations the listing shows.
     */
    private List<InstanceDescription> list(InstancePlugin ip, GroupSettings gs) throws PluginException {
        List<InstanceDescription> members = describe(ip);
        if (members.stream().anyMatch(m -> GroupTags.BOOTSTRAP.equals(sha(m)))) {
            members = describe(ip);
            for (InstanceDescription m : members) {
                if (GroupTags.BOOTSTRAP.equals(sha(m))) {
                    LOG.info("Group '{}': adopting bootstrap instance {}", id, m.id());
                    ip.label(m.id(), Map.of(GroupTags.GROUP, id, GroupTags.CONFIG_SHA, gs.hash()));
                }
            }
            members = describe(ip);
        }
        long now = ctx.scheduler().nanoTime();
        synchronized (lock) {
            if (nextSequence < 0) {
                nextSequence = members.size();
            }
            if (!pending.isEmpty()) {
                for (InstanceDescription m : members) {
                    pending.remove(m.id());
                }
                for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext();) {
                    Map.Entry<String, Pending> e = it.next();
                    if (e.getValue().deadline() - now <= 0) {
                        it.remove();
                        LOG.info("Group '{}': instance {} was provisioned but is not listed by the instance plugin; "
                                + "no longer counted as a member", id, e.getKey());
                    }
                }
            }
        }
        return members;
    }

    /**
     * Lists the group's members as the instance plugin describes them, leaving out descriptions
     * that cannot be members (no ID, or another group's tag from a plugin that ignores filters).
     *
     * @param ip the instance plugin
     * @return the members
     * @throws PluginException when the plugin cannot list them
     */
    List<InstanceDescription> describe(InstancePlugin ip) throws PluginException {
        List<InstanceDescription> all = ip.describeInstances(Map.of(GroupTags.GROUP, id), false);
        return members(all);
    }

    /**
     * @param all descriptions from the instance plugin, or {@code null}
     * @return those that are members of this group
     */
    List<InstanceDescription> members(List<InstanceDescription> all) {
        if (all == null) {
            return List.of();
        }
        List<InstanceDescription> out = new ArrayList<>(all.size());
        for (InstanceDescription d : all) {
            if (d == null || d.id() == null || d.id().isEmpty()) {
                LOG.debug("Group '{}': the instance plugin listed an instance without an ID; ignored", id);
                continue;
            }
            String group = d.tags() == null ? null : d.tags().get(GroupTags.GROUP);
            if (!id.equals(group)) {
                // A plugin that ignores the tag filter: never touch what is not ours. Said once.
                if (!warnedForeign) {
                    warnedForeign = true;
                    LOG.warn("Group '{}': the instance plugin listed {} which is not tagged {}={}; such instances "
                            + "are ignored", id, d.id(), GroupTags.GROUP, id);
                }
                continue;
            }
            out.add(d);
        }
        return out;
    }

    private static String sha(InstanceDescription m) {
        return m.tags() == null ? null : m.tags().get(GroupTags.CONFIG_SHA);
    }

    private long pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    private List<String> pendingLogicalIDs() {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            for (Pending p : pending.values()) {
                if (p.logicalID() != null) {
                    out.add(p.logicalID());
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Creating and destroying

    /**
     * Runs operations, at most {@code parallelism} at a time, and waits for all of them.
     *
     * @param count how many
     * @param stopOnFailure whether to start no further operation after one failed (creations:
     *     a failed Provision may still have created something; the next pass lists first)
     * @param stopWhenStopped whether to start no further operation once supervision stopped or
     *     was suspended
     * @param op the operation number i; returns whether it succeeded
     * @return whether every started operation succeeded
     */
    private boolean runAll(int count, boolean stopOnFailure, boolean stopWhenStopped, IntPredicate op) {
        int parallelism = ctx.options().parallelism();
        Semaphore window = new Semaphore(parallelism);
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if ((stopOnFailure && failed.get()) || (stopWhenStopped && isStopped())) {
                break;
            }
            try {
                window.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(true);
                break;
            }
            if (stopOnFailure && failed.get()) {
                window.release();
                break;
            }
            int n = i;
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                ctx.executor().execute(() -> {
                    try {
                        if (!op.test(n)) {
                            failed.set(true);
                        }
                    } catch (RuntimeException e) {
                        failed.set(true);
                        LOG.error("Group '{}': operation failed unexpectedly", id, e);
                    } finally {
                        window.release();
                        done.complete(null);
                    }
                });
            } catch (RejectedExecutionException e) {
                window.release();
                failed.set(true);
                break;
            }
            started.add(done);
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        return !failed.get();
    }

    private boolean isStopped() {
        synchronized (lock) {
            return haltedLocked();
        }
    }

    /**
     * Creates one instance: the flavor prepares the spec, the instance plugin provisions it.
     *
     * @return whether an instance was created
     */
    private boolean createOne(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp, String logicalID) {
        long sequence;
        synchronized (lock) {
            if (nextSequence < 0) {
                nextSequence = 0;
            }
            sequence = nextSequence++;
        }
        Map<String, String> tags = Map.of(GroupTags.GROUP, id, GroupTags.CONFIG_SHA, gs.hash());
        InstanceSpec spec = InstanceSpec.of(gs.properties().instance().properties(), tags, "", logicalID, null);
        InstanceSpec prepared;
        try {
            prepared = fp.prepare(gs.properties().flavor().properties(), spec, gs.allocation(), new Index(id, sequence));
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': Failed to Prepare instance: {}", id, Failures.text(e));
            return false;
        }
        if (prepared == null) {
            LOG.warn("Group '{}': Failed to Prepare instance: the flavor returned no spec", id);
            return false;
        }
        Map<String, String> got = prepared.tags();
        if (got == null || !id.equals(got.get(GroupTags.GROUP)) || !gs.hash().equals(got.get(GroupTags.CONFIG_SHA))) {
            // Such an instance would not be recognised as a member, and be created again and again.
            LOG.error("Group '{}': the flavor '{}' changed the tags {} and {} of the spec; not provisioning it",
                    id, gs.properties().flavor().plugin(), GroupTags.GROUP, GroupTags.CONFIG_SHA);
            return false;
        }
        String instanceId;
        try {
            instanceId = ip.provision(prepared);
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': Failed to provision: {}", id, Failures.text(e));
            return false;
        }
        if (instanceId != null && !instanceId.isEmpty()) {
            long deadline = ctx.scheduler().nanoTime() + ctx.options().pendingGrace().toNanos();
            synchronized (lock) {
                pending.put(instanceId, new Pending(logicalID, deadline));
            }
        }
        if (prepared.attachments() == null || prepared.attachments().isEmpty()) {
            LOG.info("Created instance {} with tags {}", instanceId, Failures.goMap(prepared.tags()));
        } else {
            LOG.info("Created instance {} with tags {} and attachments {}", instanceId,
                    Failures.goMap(prepared.tags()), prepared.attachments());
        }
        return true;
    }

    /**
     * Destroys one instance: the flavor drains it (best effort), the instance plugin destroys it.
     *
     * @return whether the instance plugin destroyed it
     */
    private boolean destroyOne(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp, InstanceDescription m,
            DestroyContext why) {
        return tryDestroy(gs, ip, fp, m, why) == null;
    }

    /**
     * Destroys one instance: the flavor drains it (best effort), then the instance plugin destroys
     * it. Drain always comes first.
     *
     * @return {@code null} when the instance plugin destroyed it, else why not
     */
    private String tryDestroy(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp, InstanceDescription m,
            DestroyContext why) {
        try {
            fp.drain(gs.properties().flavor().properties(), m);
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': Failed to drain {}: {}", id, m.id(), Failures.text(e));
        }
        LOG.info("Destroying instance {} ({})", m.id(), why.reason());
        try {
            ip.destroy(m.id(), why);
        } catch (PluginException | RuntimeException e) {
            String failure = Failures.text(e);
            LOG.warn("Group '{}': Failed to destroy {}: {}", id, m.id(), failure);
            return failure;
        }
        synchronized (lock) {
            pending.remove(m.id());
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // DestroyGroup

    /**
     * Destroys every member of the group, after supervision was suspended ({@link #suspend()},
     * {@link #awaitIdle()}): each is drained, then destroyed. Lists again after destroying, so that
     * nothing created meanwhile is left behind, and tries up to three rounds.
     *
     * @param ip the group's instance plugin
     * @param fp the group's flavor plugin
     * @throws PluginException when the members cannot be listed, or some could not be destroyed (the
     *     message names them and why)
     */
    void destroyAll(InstancePlugin ip, FlavorPlugin fp) throws PluginException {
        GroupSettings gs = settings();
        Map<String, Pending> notListed;
        synchronized (lock) {
            notListed = new HashMap<>(pending);
        }
        // the last failure of each instance that could not be destroyed
        Map<String, String> failures = new ConcurrentHashMap<>();
        for (int round = 0; round < 3; round++) {
            List<InstanceDescription> members;
            try {
                members = new ArrayList<>(describe(ip));
            } catch (PluginException | RuntimeException e) {
                throw Failures.asPluginException(e);
            }
            if (round == 0) {
                for (InstanceDescription m : members) {
                    notListed.remove(m.id());
                }
                // Provisioned by the last pass but not listed yet: destroy them by ID all the same.
                notListed.forEach((iid, p) -> members.add(InstanceDescription.of(iid, p.logicalID(),
                        Map.of(GroupTags.GROUP, id, GroupTags.CONFIG_SHA, gs.hash()), null)));
            }
            if (members.isEmpty()) {
                LOG.info("Destroyed group '{}'", id);
                return;
            }
            members.sort(BY_ID);
            runAll(members.size(), false, false, i -> {
                InstanceDescription m = members.get(i);
                String failure = tryDestroy(gs, ip, fp, m, DestroyContext.TERMINATING);
                if (failure != null) {
                    failures.put(m.id(), failure);
                }
                return failure == null;
            });
        }
        List<InstanceDescription> left;
        try {
            left = new ArrayList<>(describe(ip));
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        if (!left.isEmpty()) {
            left.sort(BY_ID);
            StringBuilder named = new StringBuilder();
            for (int i = 0; i < Math.min(left.size(), NAMED_FAILURES); i++) {
                String iid = left.get(i).id();
                named.append(i == 0 ? "" : ", ").append(iid);
                if (failures.containsKey(iid)) {
                    named.append(" (").append(failures.get(iid)).append(')');
                }
            }
            if (left.size() > NAMED_FAILURES) {
                named.append(" and ").append(left.size() - NAMED_FAILURES).append(" more");
            }
            throw new PluginException("Failed to destroy " + left.size() + " instances of group '" + id + "': "
                    + named + "; the group is kept, paused: DestroyGroup again to retry, or CommitGroup to manage it again");
        }
        LOG.info("Destroyed group '{}'", id);
    }
}
