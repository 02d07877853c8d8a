package org.infrakit.group.impl;

import java.util.List;
import java.util.Map;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one group at its settings. The loop alone owns the group's state and its {@link PassTimer}. Each pass
 * lists the members ({@link Members}), asks a pure planner what to do ({@link Scaler} or
 * {@link Quorum}, then {@link RollingUpdate} while one is in flight) and has the
 * {@link Provisioner} do it; before it changes anything it asks the {@link ReconcileGate}.
 *
 * <p>Passes of one group never overlap. A pass waits for the creations and destructions it started.
 * While a rolling update waits for health, the next pass comes after the update poll interval.
 *
 * <p>{@link #lock} guards the fields below it and is never held across a plugin call, nor while the
 * timer's lock is taken; each step of a pass works on a snapshot taken when it starts.
 */
final class GroupLoop {
    private static final Logger LOG = LoggerFactory.getLogger(GroupLoop.class);
    private static final long AGAIN = -1; // from a step: run the next one at once

    /**
     * A consistent view of the group's state.
     *
     * @param waiting whether the last pass could not find the group's plugins
     */
    record Snapshot(GroupSettings settings, long target, RollingUpdate update, boolean waiting) {
    }

    private final String id;
    private final LoopContext ctx;
    private final long pollNanos;
    private final long healthNanos;
    private final Members members;
    private final Provisioner provisioner;
    private final PassTimer timer;
    private final Object lock = new Object();
    private GroupSettings settings;
    private long target;
    private RollingUpdate update;
    private String unavailable;
    /** For a group loaded from the store: the first pass resumes a roll of members on older configurations. */
    private boolean resumeRoll;

    GroupLoop(String id, GroupSettings settings, LoopContext ctx, boolean resumed) {
        this.id = id;
        this.ctx = ctx;
        this.settings = settings;
        this.target = settings.size();
        this.resumeRoll = resumed;
        this.pollNanos = ctx.options().pollInterval().toNanos();
        this.healthNanos = ctx.options().healthInterval().toNanos();
        this.members = new Members(id, ctx.scheduler(), ctx.options().pendingGrace().toNanos());
        this.provisioner = new Provisioner(id, members, ctx.executor(), ctx.options().parallelism(), this::mayAct);
        this.timer = new PassTimer(ctx.scheduler(), ctx.executor(), this::pass, pollNanos);
    }

    Snapshot snapshot() {
        synchronized (lock) {
            return new Snapshot(settings, target, update, unavailable != null);
        }
    }

    Members members() {
        return members;
    }

    /** Switches to new settings and carries out the plan; a rolling update in flight is halted first. */
    void apply(GroupSettings next, UpdatePlan plan) {
        synchronized (lock) {
            // A commit that changes nothing (a quorum's "Noop") lets an update to the same
            // configuration go on; any other commit halts it and plans anew from the live state.
            if (plan.rolls() || update == null || !update.hash().equals(next.hash())) {
                haltLocked();
            }
            // The reference grows the group only once the roll succeeded.
            boolean growAfter = !next.isQuorum() && plan.rolls() && next.size() > target;
            target = next.isQuorum() || growAfter ? target : next.size();
            settings = next;
            resumeRoll = false;
            if (plan.rolls()) {
                update = RollingUpdate.towards(next.hash(), growAfter ? next.size() : -1);
            }
        }
        LOG.info("Executing update plan for '{}': {}", id, plan.details());
        wake();
    }

    /** Asks for a pass as soon as possible (also the first one). */
    void wake() {
        timer.wakeIn(0);
    }

    /** Stops for good: halts the update, cancels the next pass. A running pass finishes. */
    void stop() {
        timer.stop();
        synchronized (lock) {
            haltLocked();
        }
    }

    /**
     * Suspends the loop during DestroyGroup and after a failed one (also before the first pass): no
     * pass starts, a running one starts no further change, a rolling update in flight is kept.
     */
    void suspend() {
        timer.hold();
    }

    /** Ends a suspension: the next pass comes one poll interval from now. Does nothing once stopped. */
    void resume() {
        timer.release(pollNanos);
    }

    boolean suspended() {
        return timer.held();
    }

    /** Waits until no pass runs (after {@link #stop()} or {@link #suspend()}: until none runs any more). */
    void awaitIdle() {
        timer.awaitIdle();
    }

    /** DestroyGroup, once the loop is suspended and idle: see {@link Provisioner#destroyAll}. */
    void destroyAll(InstancePlugin ip, FlavorPlugin fp) throws PluginException {
        provisioner.destroyAll(snapshot().settings(), ip, fp);
    }

    /** The seam of {@link ReconcileGate}: asked before a pass lists and before each change it starts. */
    private boolean mayAct() {
        return !timer.off() && ctx.gate().mayAct(id);
    }

    private void haltLocked() {
        if (update != null) {
            LOG.warn("Update to {} failed: Update halted by user", id);
            update = null;
        }
    }

    private long pass() {
        try {
            while (!timer.off()) {
                long next = step();
                if (next != AGAIN) {
                    return next;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Group '{}': the pass failed unexpectedly; retrying next pass", id, e);
        }
        return pollNanos;
    }

    private long step() {
        Snapshot s = snapshot();
        GroupSettings gs = s.settings();
        InstancePlugin ip = ctx.lookup().instancePlugin(gs.instanceRef());
        FlavorPlugin fp = ctx.lookup().flavorPlugin(gs.flavorRef());
        if (!available(ip == null ? Failures.notFound("Instance", gs.properties().instance().plugin())
                : fp == null ? Failures.notFound("Flavor", gs.properties().flavor().plugin()) : null) || !mayAct()) {
            return pollNanos;
        }
        List<InstanceDescription> listed = list(ip, gs, gs.isQuorum() ? "Failed to check group" : null);
        if (listed == null) {
            return pollNanos;
        }
        List<Operation> ops = gs.isQuorum() ? Quorum.plan(id, gs.logicalIDs(), listed, members.pendingLogicalIDs())
                : Scaler.plan(s.target(), listed, members.pendingCount());
        if (!provisioner.carryOut(ops, gs, ip, fp, this::stillWanted)) {
            return pollNanos;
        }
        RollingUpdate u = s.update();
        if (u == null) {
            return resumeRollIfNeeded(gs, listed) ? AGAIN : pollNanos;
        }
        listed = ops.isEmpty() ? listed : list(ip, gs, null);
        return listed == null ? pollNanos : rollStep(gs, u, ip, fp, listed);
    }

    /** @return the members, or {@code null} when they cannot be listed (logged with {@code what} went wrong) */
    private List<InstanceDescription> list(InstancePlugin ip, GroupSettings gs, String what) {
        try {
            return members.list(ip, gs.hash());
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': {}: {}", id, what == null ? "Failed to list group instances" : what, Failures.text(e));
            return null;
        }
    }

    /** Whether one more instance is wanted when {@code have} exist or are being created. */
    private boolean stillWanted(long have) {
        if (timer.off()) {
            return false;
        }
        synchronized (lock) {
            return !settings.isQuorum() && have < target;
        }
    }

    private boolean resumeRollIfNeeded(GroupSettings gs, List<InstanceDescription> listed) {
        synchronized (lock) {
            if (!resumeRoll) {
                return false;
            }
            resumeRoll = false;
            long stale = listed.stream().filter(m -> !gs.hash().equals(UpdatePlan.hashOf(m, ""))).count();
            boolean resume = update == null && settings == gs && stale > 0;
            if (resume) {
                LOG.info("Group '{}': resuming the rolling update of {} instances", id, stale);
                update = RollingUpdate.towards(gs.hash(), -1);
            }
            return resume;
        }
    }

    private long rollStep(GroupSettings gs, RollingUpdate u, InstancePlugin ip, FlavorPlugin fp,
            List<InstanceDescription> listed) {
        Map<String, Health> health = provisioner.health(gs, fp, u.onNewConfig(listed));
        RollingUpdate.Step step = u.plan(listed, gs.desiredCount(), health, ctx.scheduler().nanoTime(), healthNanos,
                pollNanos);
        RollingUpdate next = step.next();
        synchronized (lock) {
            if (update != u) {
                return AGAIN;
            }
            update = next;
        }
        if (step.op() instanceof Operation.Failed f) {
            if (complete(next, -1) != null) {
                LOG.warn("Update to {} failed: {}", id, f.reason());
            }
            return pollNanos;
        }
        if (step.op() instanceof Operation.Wait w) {
            LOG.debug("Group '{}': Waiting for scaler to quiesce", id);
            return w.nanos();
        }
        if (step.op() instanceof Operation.Done d) {
            Boolean grow = complete(next, d.growTo());
            if (grow != null) {
                LOG.info("Group {} has converged", id);
            }
            return grow == null || grow ? AGAIN : pollNanos;
        }
        Operation.Destroy d = (Operation.Destroy) step.op();
        LOG.info("Group '{}': {}", id, d.note());
        if (timer.off() || snapshot().update() != next) {
            return AGAIN;
        }
        if (!mayAct() || provisioner.destroy(gs, ip, fp, d.members().get(0), d.why()) != null) {
            return pollNanos;
        }
        synchronized (lock) {
            if (update == next) {
                update = next.replacedOne();
            }
        }
        return AGAIN;
    }

    /** Ends the update {@code u} unless another replaced it (then {@code null}); returns whether the group grows. */
    private Boolean complete(RollingUpdate u, long growTo) {
        synchronized (lock) {
            if (update != u) {
                return null;
            }
            update = null;
            boolean grow = growTo >= 0 && growTo != target;
            target = grow ? growTo : target;
            return grow;
        }
    }

    /** Records whether the group's plugins are there ({@code missing} null), saying so once per change. */
    private boolean available(String missing) {
        String before;
        synchronized (lock) {
            before = unavailable;
            unavailable = missing;
        }
        if (missing != null && !missing.equals(before)) {
            LOG.warn("Group '{}' is not converging: {}; management resumes when the plugin is back", id, missing);
        } else if (missing == null && before != null) {
            LOG.info("Group '{}': its plugins are available again; management resumes", id);
        }
        return missing == null;
    }
}
