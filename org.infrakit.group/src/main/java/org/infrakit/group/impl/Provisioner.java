package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a group's creations (flavor {@code Prepare}, then instance {@code Provision}) and
 * destructions (flavor {@code Drain}, best effort, then instance {@code Destroy}) against its
 * plugins, at most {@code parallelism} at a time, and asks health for the rolling update.
 *
 * <p>Never more instances than asked: once a creation fails no further one is started (a failed
 * Provision may still have created something; the next pass lists first). A destruction that
 * fails for an instance the plugin no longer lists counts as done: retrying it could never succeed.
 */
final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    /** How many of the instances that DestroyGroup could not destroy its error names. */
    private static final int NAMED_FAILURES = 5;

    private final String group;
    private final Members members;
    private final Executor executor;
    private final int parallelism;
    private final BooleanSupplier mayGoOn;

    /** @param mayGoOn asked before each change of a pass: false when the loop is off or the gate closed */
    Provisioner(String group, Members members, Executor executor, int parallelism, BooleanSupplier mayGoOn) {
        this.group = group;
        this.members = members;
        this.executor = executor;
        this.parallelism = parallelism;
        this.mayGoOn = mayGoOn;
    }

    /**
     * Carries out a planner's creations and destructions, in order, and waits for them.
     *
     * @param stillWanted whether one more instance of a scaled group is wanted when this many are there
     * @return whether every one started succeeded
     */
    boolean carryOut(List<Operation> ops, GroupSettings gs, InstancePlugin ip, FlavorPlugin fp,
            LongPredicate stillWanted) {
        boolean ok = true;
        for (Operation op : ops) {
            if (op instanceof Operation.Destroy d) {
                LOG.info("Group '{}': {}", group, d.note());
                ok &= runAll(d.members().size(), false, true,
                        i -> destroy(gs, ip, fp, d.members().get(i), d.why()) == null);
            } else if (op instanceof Operation.Create c) {
                LOG.info("Group '{}': {}", group, c.note());
                ok &= runAll(c.logicalIDs().size(), true, true, i -> (c.have() >= 0 && !stillWanted.test(c.have() + i))
                        || create(gs, ip, fp, c.logicalIDs().get(i)));
            }
        }
        return ok;
    }

    /** The health of these members, in order, up to the first unhealthy one ({@code UNKNOWN} when it cannot be asked). */
    Map<String, Health> health(GroupSettings gs, FlavorPlugin fp, List<InstanceDescription> asked) {
        Map<String, Health> out = new LinkedHashMap<>();
        for (InstanceDescription m : asked) {
            Health h;
            try {
                h = fp.healthy(gs.properties().flavor().properties(), m);
            } catch (PluginException | RuntimeException e) {
                LOG.debug("Group '{}': health of {} unknown: {}", group, m.id(), Failures.text(e));
                h = Health.UNKNOWN;
            }
            out.put(m.id(), h);
            if (h == Health.UNHEALTHY) {
                break;
            }
        }
        return out;
    }

    /** Runs {@code count} operations, at most {@code parallelism} at a time, and waits for all. */
    private boolean runAll(int count, boolean stopOnFailure, boolean gated, IntPredicate op) {
        Semaphore window = new Semaphore(parallelism);
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < count && !(stopOnFailure && failed.get()) && !(gated && !mayGoOn.getAsBoolean()); i++) {
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
                executor.execute(() -> {
                    try {
                        if (!op.test(n)) {
                            failed.set(true);
                        }
                    } catch (RuntimeException e) {
                        failed.set(true);
                        LOG.error("Group '{}': operation failed unexpectedly", group, e);
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

    /** @return whether an instance was created */
    private boolean create(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp, String logicalID) {
        long sequence = members.nextSequence();
        Map<String, String> tags = Map.of(GroupTags.GROUP, group, GroupTags.CONFIG_SHA, gs.hash());
        InstanceSpec spec = InstanceSpec.of(gs.properties().instance().properties(), tags, "", logicalID, null);
        InstanceSpec prepared;
        try {
            prepared = fp.prepare(gs.properties().flavor().properties(), spec, gs.allocation(), new Index(group, sequence));
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': Failed to Prepare instance: {}", group, Failures.text(e));
            return false;
        }
        if (prepared == null) {
            LOG.warn("Group '{}': Failed to Prepare instance: the flavor returned no spec", group);
            return false;
        }
        Map<String, String> got = prepared.tags();
        if (got == null || !group.equals(got.get(GroupTags.GROUP)) || !gs.hash().equals(got.get(GroupTags.CONFIG_SHA))) {
            // Such an instance would not be recognised as a member, and be created again and again.
            LOG.error("Group '{}': the flavor '{}' changed the tags {} and {} of the spec; not provisioning it",
                    group, gs.properties().flavor().plugin(), GroupTags.GROUP, GroupTags.CONFIG_SHA);
            return false;
        }
        String instanceId;
        try {
            instanceId = ip.provision(prepared);
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': Failed to provision: {}", group, Failures.text(e));
            return false;
        }
        if (instanceId != null && !instanceId.isEmpty()) {
            members.provisioned(instanceId, logicalID);
        }
        if (prepared.attachments() == null || prepared.attachments().isEmpty()) {
            LOG.info("Created instance {} with tags {}", instanceId, Failures.goMap(prepared.tags()));
        } else {
            LOG.info("Created instance {} with tags {} and attachments {}", instanceId,
                    Failures.goMap(prepared.tags()), prepared.attachments());
        }
        return true;
    }

    /** Drains (best effort), then destroys one member; returns {@code null} when done or gone, else why not. */
    String destroy(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp, InstanceDescription m, DestroyContext why) {
        try {
            fp.drain(gs.properties().flavor().properties(), m);
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Group '{}': Failed to drain {}: {}", group, m.id(), Failures.text(e));
        }
        LOG.info("Destroying instance {} ({})", m.id(), why.reason());
        try {
            ip.destroy(m.id(), why);
        } catch (PluginException | RuntimeException e) {
            String failure = Failures.text(e);
            if (!gone(ip, m.id())) {
                LOG.warn("Group '{}': Failed to destroy {}: {}", group, m.id(), failure);
                return failure;
            }
            LOG.info("Group '{}': instance {} is no longer listed, so it counts as destroyed (Destroy said: {})",
                    group, m.id(), failure);
        }
        members.destroyed(m.id());
        return null;
    }

    /** Whether it is listed no more. A pending creation was never listed: its absence says nothing. */
    private boolean gone(InstancePlugin ip, String id) {
        try {
            return !members.isPending(id) && members.describe(ip).stream().noneMatch(d -> d.id().equals(id));
        } catch (PluginException | RuntimeException e) {
            return false;
        }
    }

    /**
     * DestroyGroup: drains and destroys every member, pending creations included, listing again up to
     * three rounds so that nothing created meanwhile is left. Not gated: the loop is suspended and idle.
     *
     * @throws PluginException when the members cannot be listed, or some could not be destroyed (named, with why)
     */
    void destroyAll(GroupSettings gs, InstancePlugin ip, FlavorPlugin fp) throws PluginException {
        List<InstanceDescription> notListed = members.pendingAsMembers(gs.hash());
        Map<String, String> failures = new ConcurrentHashMap<>(); // the last failure of each instance
        for (int round = 0; round < 3; round++) {
            List<InstanceDescription> listed = new ArrayList<>(describeOrFail(ip));
            if (round == 0) {
                Set<String> ids = listed.stream().map(InstanceDescription::id).collect(Collectors.toSet());
                notListed.stream().filter(p -> !ids.contains(p.id())).forEach(listed::add);
            }
            if (listed.isEmpty()) {
                LOG.info("Destroyed group '{}'", group);
                return;
            }
            List<InstanceDescription> victims = Members.byId(listed);
            runAll(victims.size(), false, false, i -> {
                String failure = destroy(gs, ip, fp, victims.get(i), DestroyContext.TERMINATING);
                if (failure != null) {
                    failures.put(victims.get(i).id(), failure);
                }
                return failure == null;
            });
        }
        List<InstanceDescription> left = Members.byId(describeOrFail(ip));
        if (left.isEmpty()) {
            LOG.info("Destroyed group '{}'", group);
            return;
        }
        String named = left.stream().limit(NAMED_FAILURES).map(InstanceDescription::id)
                .map(id -> failures.containsKey(id) ? id + " (" + failures.get(id) + ")" : id)
                .collect(Collectors.joining(", "))
                + (left.size() > NAMED_FAILURES ? " and " + (left.size() - NAMED_FAILURES) + " more" : "");
        throw new PluginException("Failed to destroy " + left.size() + " instances of group '" + group + "': "
                + named + "; the group is kept, paused: DestroyGroup again to retry, or CommitGroup to manage it again");
    }

    private List<InstanceDescription> describeOrFail(InstancePlugin ip) throws PluginException {
        try {
            return members.describe(ip);
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
    }
}
