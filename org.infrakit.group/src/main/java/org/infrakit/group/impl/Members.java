package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members of one group: lists them, adopts bootstrap members (group-plugin.md §3.3), and keeps
 * the pending creations. An instance the group provisioned counts as a member until the instance
 * plugin lists it or a grace period passes, so that a plugin with an eventually consistent listing
 * does not get duplicates. Thread-safe: creations record here on the provisioner's threads while a
 * pass reads.
 */
final class Members {
    private static final Logger LOG = LoggerFactory.getLogger(Members.class);
    private static final Comparator<InstanceDescription> BY_ID = Comparator.comparing(InstanceDescription::id,
            Tags.UTF8_ORDER);

    private record Pending(String logicalID, long deadline) {
    }

    private final String group;
    private final Scheduler clock;
    private final long graceNanos;
    // guarded by this
    private final Map<String, Pending> pending = new HashMap<>();
    private long nextSequence = -1;
    private volatile boolean warnedForeign;

    Members(String group, Scheduler clock, long graceNanos) {
        this.group = group;
        this.clock = clock;
        this.graceNanos = graceNanos;
    }

    /** @return a copy sorted by ID in UTF-8 byte order */
    static List<InstanceDescription> byId(Collection<InstanceDescription> members) {
        List<InstanceDescription> sorted = new ArrayList<>(members);
        sorted.sort(BY_ID);
        return sorted;
    }

    /**
     * Lists the members, relabels bootstrap members with {@code hash} first, and forgets the pending
     * creations the listing shows or whose grace has passed.
     *
     * @throws PluginException when the plugin cannot list or relabel them
     */
    List<InstanceDescription> list(InstancePlugin ip, String hash) throws PluginException {
        List<InstanceDescription> members = describe(ip);
        if (members.stream().anyMatch(m -> GroupTags.BOOTSTRAP.equals(sha(m)))) {
            members = describe(ip);
            for (InstanceDescription m : members) {
                if (GroupTags.BOOTSTRAP.equals(sha(m))) {
                    LOG.info("Group '{}': adopting bootstrap instance {}", group, m.id());
                    ip.label(m.id(), Map.of(GroupTags.GROUP, group, GroupTags.CONFIG_SHA, hash));
                }
            }
            members = describe(ip);
        }
        long now = clock.nanoTime();
        synchronized (this) {
            if (nextSequence < 0) {
                nextSequence = members.size();
            }
            members.forEach(m -> pending.remove(m.id()));
            pending.entrySet().removeIf(e -> {
                if (e.getValue().deadline() - now > 0) {
                    return false;
                }
                LOG.info("Group '{}': instance {} was provisioned but is not listed by the instance plugin; "
                        + "no longer counted as a member", group, e.getKey());
                return true;
            });
        }
        return members;
    }

    /** Lists the members as the instance plugin describes them, without adoption. */
    List<InstanceDescription> describe(InstancePlugin ip) throws PluginException {
        return filter(ip.describeInstances(Map.of(GroupTags.GROUP, group), false));
    }

    /** @return those that can be members: with an ID and this group's tag (a plugin may ignore the filter) */
    List<InstanceDescription> filter(List<InstanceDescription> all) {
        if (all == null) {
            return List.of();
        }
        List<InstanceDescription> out = new ArrayList<>(all.size());
        for (InstanceDescription d : all) {
            if (d == null || d.id() == null || d.id().isEmpty()) {
                LOG.debug("Group '{}': the instance plugin listed an instance without an ID; ignored", group);
            } else if (!group.equals(d.tags() == null ? null : d.tags().get(GroupTags.GROUP))) {
                if (!warnedForeign) {
                    warnedForeign = true;
                    LOG.warn("Group '{}': the instance plugin listed {} which is not tagged {}={}; such instances "
                            + "are ignored", group, d.id(), GroupTags.GROUP, group);
                }
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /** @return the {@code Index.Sequence} of the next creation: 0, 1, 2, … from the first listing's count */
    synchronized long nextSequence() {
        nextSequence = Math.max(nextSequence, 0);
        return nextSequence++;
    }

    /** Counts a provisioned instance as a member until it is listed or its grace passes. */
    synchronized void provisioned(String id, String logicalID) {
        pending.put(id, new Pending(logicalID, clock.nanoTime() + graceNanos));
    }

    synchronized void destroyed(String id) {
        pending.remove(id);
    }

    synchronized boolean isPending(String id) {
        return pending.containsKey(id);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized List<String> pendingLogicalIDs() {
        return pending.values().stream().map(Pending::logicalID).filter(lid -> lid != null).toList();
    }

    /** @return the pending creations as descriptions, tagged as members on {@code hash} */
    synchronized List<InstanceDescription> pendingAsMembers(String hash) {
        return pending.entrySet().stream().map(e -> InstanceDescription.of(e.getKey(), e.getValue().logicalID(),
                Map.of(GroupTags.GROUP, group, GroupTags.CONFIG_SHA, hash), null)).toList();
    }

    private static String sha(InstanceDescription m) {
        return m.tags() == null ? null : m.tags().get(GroupTags.CONFIG_SHA);
    }
}
