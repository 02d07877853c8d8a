package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planner of a group allocated by logical IDs: one instance per logical ID. Members with an
 * unknown logical ID are destroyed; members without one are not the quorum's business (as in the
 * reference).
 */
final class Quorum {
    private static final Logger LOG = LoggerFactory.getLogger(Quorum.class);

    private Quorum() {
    }

    /**
     * @param pending the logical IDs of instances provisioned but not listed yet
     * @return the destruction of members with unknown logical IDs, then the creation of missing ones
     */
    static List<Operation> plan(String group, List<String> logicalIDs, List<InstanceDescription> listed,
            Collection<String> pending) {
        Set<String> ids = new LinkedHashSet<>(logicalIDs);
        Set<String> present = new HashSet<>(pending);
        List<InstanceDescription> unknown = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>(Tags.UTF8_ORDER);
        for (InstanceDescription m : listed) {
            if (m.logicalID() == null) {
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
                LOG.warn("Group '{}': {} instances have the logical ID {}", group, n, lid);
            }
        });
        List<Operation> ops = new ArrayList<>(2);
        if (!unknown.isEmpty()) {
            ops.add(new Operation.Destroy(Members.byId(unknown), DestroyContext.TERMINATING,
                    "destroying " + unknown.size() + " instances with unknown logical IDs"));
        }
        List<String> missing = ids.stream().filter(lid -> !present.contains(lid)).toList();
        if (!missing.isEmpty()) {
            ops.add(new Operation.Create(missing, -1, "creating instances for logical IDs " + missing));
        }
        return ops;
    }

    /**
     * @return whether there is exactly one member per logical ID, none with an unknown one, all on
     *     the current configuration
     */
    static boolean converged(GroupSettings settings, List<InstanceDescription> listed) {
        Set<String> ids = new HashSet<>(settings.logicalIDs());
        Map<String, Integer> counts = new HashMap<>();
        for (InstanceDescription m : listed) {
            if (m.logicalID() == null) {
                continue;
            }
            if (!ids.contains(m.logicalID()) || !settings.hash().equals(UpdatePlan.hashOf(m, ""))) {
                return false;
            }
            counts.merge(m.logicalID(), 1, Integer::sum);
        }
        return ids.stream().allMatch(lid -> counts.getOrDefault(lid, 0) == 1);
    }
}
