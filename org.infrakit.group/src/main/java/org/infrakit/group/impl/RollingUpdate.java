package org.infrakit.group.impl;

/**
 * A rolling update in flight: the group's members are replaced one at a time, lowest ID first,
 * until every member carries {@link #hash()}. Before each replacement, every member already on the
 * new configuration (up to the group's size) must be healthy; they are all asked again at every
 * wait, so one that turns unhealthy after it was seen healthy fails the update.
 *
 * <p>Only the group's pass (one at a time) uses the mutable fields; it changes {@link #expected}
 * under the owning {@link GroupSupervisor}'s lock.
 */
final class RollingUpdate {
    private final String hash;
    private final long sizeAfter;
    /** How many members on the new configuration the update waits for; -1 until first counted. */
    long expected = -1;
    /** Since when (scheduler nanos) the update has been waiting for health; -1 when not waiting. */
    long waitingSince = -1;

    /**
     * @param hash the configuration hash members must carry
     * @param sizeAfter the size to grow the group to once every member is replaced, or -1
     */
    RollingUpdate(String hash, long sizeAfter) {
        this.hash = hash;
        this.sizeAfter = sizeAfter;
    }

    /** @return the configuration hash members must carry */
    String hash() {
        return hash;
    }

    /** @return the size to grow to when done, or -1 */
    long sizeAfter() {
        return sizeAfter;
    }
}
