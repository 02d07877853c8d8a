package org.infrakit.group.impl;

import java.util.List;
import java.util.Map;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.Health;
import org.infrakit.spi.InstanceDescription;

/**
 * A rolling update in flight, and its planner: members are replaced one at a time, lowest ID first,
 * until every member carries {@link #hash()}. Before each replacement every member already on the
 * new configuration (up to the group's size) must be healthy; they are all asked again at every
 * wait (group-plugin.md §6.2), so one that turns unhealthy after it was seen healthy fails the update
 * before anything more is destroyed.
 *
 * @param hash the configuration hash members must carry
 * @param sizeAfter the size to grow the group to once every member is replaced, or -1
 * @param expected how many members on the new configuration the update waits for; -1 until counted
 * @param waitingSince since when (scheduler nanos) the update waits for health; -1 when not waiting
 */
record RollingUpdate(String hash, long sizeAfter, long expected, long waitingSince) {
    /** After this long without progress, health is asked at the poll interval only. */
    static final long STALLED_NANOS = 60_000_000_000L;

    /** The next state of the update and what the pass is to do. */
    record Step(RollingUpdate next, Operation op) {
    }

    /** @return a new update towards {@code hash} */
    static RollingUpdate towards(String hash, long sizeAfter) {
        return new RollingUpdate(hash, sizeAfter, -1, -1);
    }

    /** @return the update after one more member was replaced */
    RollingUpdate replacedOne() {
        return new RollingUpdate(hash, sizeAfter, expected + 1, waitingSince);
    }

    /** @return the members on the new configuration, whose health {@link #plan} needs */
    List<InstanceDescription> onNewConfig(List<InstanceDescription> listed) {
        return listed.stream().filter(m -> hash.equals(UpdatePlan.hashOf(m, ""))).toList();
    }

    /**
     * @param health the health of the members {@link #onNewConfig on the new configuration}, in
     *     their order, up to the first unhealthy one
     * @return {@code Failed}, {@code Wait}, {@code Destroy} of one member, or {@code Done}
     */
    Step plan(List<InstanceDescription> listed, long desiredCount, Map<String, Health> health, long now,
            long healthNanos, long pollNanos) {
        List<InstanceDescription> fresh = onNewConfig(listed);
        long counted = expected < 0 ? fresh.size() : expected;
        long healthy = 0;
        for (InstanceDescription m : fresh) {
            Health h = health.get(m.id());
            if (h == Health.UNHEALTHY) {
                return new Step(new RollingUpdate(hash, sizeAfter, counted, waitingSince),
                        new Operation.Failed("Instance " + m.id() + " is unhealthy"));
            }
            if (h == Health.HEALTHY) {
                healthy++;
            }
        }
        if (healthy < Math.min(counted, desiredCount)) {
            // Until it stalls (unknown health for a minute), health is asked often so that the roll
            // goes on as soon as a replacement is healthy.
            long since = waitingSince < 0 ? now : waitingSince;
            long delay = now - since > STALLED_NANOS ? Math.max(healthNanos, pollNanos) : healthNanos;
            return new Step(new RollingUpdate(hash, sizeAfter, counted, since), new Operation.Wait(delay));
        }
        RollingUpdate going = new RollingUpdate(hash, sizeAfter, counted, -1);
        List<InstanceDescription> undesired = Members.byId(listed.stream().filter(m -> !hash.equals(UpdatePlan.hashOf(m, ""))).toList());
        if (undesired.isEmpty()) {
            return new Step(going, new Operation.Done(sizeAfter));
        }
        return new Step(going, new Operation.Destroy(undesired.subList(0, 1), DestroyContext.ROLLING,
                "Found " + undesired.size() + " undesired instances"));
    }
}
