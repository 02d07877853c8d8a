package org.infrakit.rpc.impl.server;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which peers may connect to a plugin socket, by numeric uid (departures D4: our own uid and root).
 *
 * @param uids the uids allowed
 */
public record PeerPolicy(Set<Long> uids) {

    /** Canonical constructor: the set is copied. */
    public PeerPolicy {
        uids = Set.copyOf(uids);
    }

    /** @param ownUid the uid this process runs as @return a policy allowing it and root */
    public static PeerPolicy ownerAndRoot(long ownUid) {
        return new PeerPolicy(new java.util.HashSet<>(java.util.List.of(ownUid, 0L)));
    }

    /** @param uid a peer's uid ({@code -1} when unknown) @return whether it may connect */
    public boolean allows(long uid) {
        return uid >= 0 && uids.contains(uid);
    }

    /** @return e.g. {@code uid 0, 1000} */
    @Override
    public String toString() {
        return "uid " + String.join(", ", new TreeSet<>(uids).stream().map(String::valueOf).toList());
    }
}
