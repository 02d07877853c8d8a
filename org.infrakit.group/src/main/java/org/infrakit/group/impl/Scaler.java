package org.infrakit.group.impl;

import java.util.Collections;
import java.util.List;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;

/** The planner of a group allocated by size: creates what is missing, destroys surplus smallest IDs first. */
final class Scaler {
    private Scaler() {
    }

    /** @return at most one operation, for {@code wanted} members of which some are {@code listed}, some {@code pending} */
    static List<Operation> plan(long wanted, List<InstanceDescription> listed, int pending) {
        // Surplus is judged on listed members only, so that nothing real is destroyed because of an
        // instance that is not listed yet; shortage counts those too, so that nothing is created twice.
        long count = listed.size();
        if (count > wanted) {
            List<InstanceDescription> victims = Members.byId(listed).subList(0, (int) (count - wanted));
            return List.of(new Operation.Destroy(victims, DestroyContext.TERMINATING,
                    count + " instances, " + wanted + " wanted: destroying " + victims.size()));
        }
        long have = count + pending;
        if (have < wanted) {
            int create = (int) Math.min(wanted - have, Integer.MAX_VALUE);
            return List.of(new Operation.Create(Collections.nCopies(create, null), have,
                    have + " instances, " + wanted + " wanted: creating " + create));
        }
        return List.of();
    }

    /** @return whether the listed members are exactly the group's size, all on the current configuration */
    static boolean converged(GroupSettings settings, List<InstanceDescription> listed) {
        return listed.size() == settings.size()
                && listed.stream().allMatch(m -> settings.hash().equals(UpdatePlan.hashOf(m, "")));
    }
}
