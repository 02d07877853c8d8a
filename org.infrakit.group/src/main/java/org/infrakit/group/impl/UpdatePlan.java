package org.infrakit.group.impl;

import java.util.List;

import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;

/**
 * What a commit to an already managed group changes, and its description for the caller (the
 * {@code Details} of {@code CommitGroup}), in the reference's exact words.
 *
 * @param details the description
 * @param undesired how many members do not carry the new configuration hash; when positive, the
 *     commit starts a rolling update
 */
public record UpdatePlan(String details, long undesired) {

    /** The description of a commit that changes nothing. */
    public static final String NOOP = "Noop";

    public boolean rolls() {
        return undesired > 0;
    }

    /** @return the description of a commit of a group not yet managed */
    public static String managing(long count) {
        return "Managing " + count + " instances";
    }

    /**
     * Plans a commit from {@code old} to {@code next} settings. For a scaled group the members are
     * listed through its current instance plugin; unless {@code pretend} (a dry run, which changes
     * nothing, not even labels), bootstrap members are relabelled first, as every listing does.
     *
     * @throws PluginException when the members cannot be listed or the change is not supported
     */
    static UpdatePlan of(GroupSettings old, GroupSettings next, PluginLookup lookup, Members members, boolean pretend)
            throws PluginException {
        if (old.isQuorum()) {
            return quorum(old, next);
        }
        if (next.isQuorum()) {
            return scaled(old, next, List.of());
        }
        InstancePlugin ip = lookup.instancePlugin(old.instanceRef());
        if (ip == null) {
            throw new PluginException(Failures.notFound("Instance", old.properties().instance().plugin()));
        }
        try {
            return scaled(old, next, pretend ? members.describe(ip) : members.list(ip, old.hash()));
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
    }

    /**
     * Plans a commit to a group allocated by size, whose {@code members} count bootstrap members as
     * up to date.
     *
     * @throws PluginException when the commit would switch the group to logical IDs
     */
    public static UpdatePlan scaled(GroupSettings old, GroupSettings next, List<InstanceDescription> members)
            throws PluginException {
        if (next.isQuorum()) {
            // The reference would treat this as size 0 and empty the group.
            throw new PluginException("Changing a group from Size to LogicalIDs is not currently supported");
        }
        long desired = members.stream().filter(m -> next.hash().equals(hashOf(m, old.hash()))).count();
        long undesired = members.size() - desired;
        long oldSize = old.size();
        long newSize = next.size();
        String details;
        if (newSize == oldSize) {
            if (undesired == 0) {
                details = next.hash().equals(old.hash()) ? NOOP
                        : "Adjusting the instance configuration, no restarts necessary";
            } else {
                details = rolling(undesired);
            }
        } else if (newSize < oldSize) {
            long rest = Math.max(0, newSize - desired);
            details = "Terminating " + (oldSize - newSize) + " instances to reduce the group size to " + newSize;
            if (rest > 0) {
                details += ", then performing a rolling update on " + rest + " instances";
            }
        } else {
            String adding = "adding " + (newSize - oldSize) + " instances to increase the group size to " + newSize;
            details = undesired == 0 ? "A" + adding.substring(1) : rolling(undesired) + ", then " + adding;
        }
        return new UpdatePlan(details, undesired);
    }

    /**
     * Plans a commit to a group allocated by logical IDs, from the settings alone (as the reference).
     *
     * @throws PluginException when the logical IDs change in any way
     */
    public static UpdatePlan quorum(GroupSettings old, GroupSettings next) throws PluginException {
        if (!old.logicalIDs().equals(next.logicalIDs()) || !next.isQuorum()) {
            throw new PluginException("Logical ID changes to a quorum is not currently supported");
        }
        if (next.hash().equals(old.hash())) {
            return new UpdatePlan(NOOP, 0);
        }
        return new UpdatePlan(rolling(old.logicalIDs().size()), old.logicalIDs().size());
    }

    private static String rolling(long n) {
        return "Performing a rolling update on " + n + " instances";
    }

    /** @return the member's configuration hash, {@code ""} when none, {@code current} for a bootstrap member */
    static String hashOf(InstanceDescription member, String current) {
        String sha = member.tags() == null ? null : member.tags().get(GroupTags.CONFIG_SHA);
        if (GroupTags.BOOTSTRAP.equals(sha)) {
            return current;
        }
        return sha == null ? "" : sha;
    }
}
