package org.infrakit.group.impl;

import java.util.List;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;

/**
 * What a planner ({@link Scaler}, {@link Quorum}, {@link RollingUpdate}) asks of a pass. Planners
 * only return operations: they hold no lock and call no plugin. The {@link Provisioner} carries out
 * creations and destructions; the {@link GroupLoop} the rest.
 */
sealed interface Operation {

    /**
     * Create one instance per logical ID ({@code null} entries for a group allocated by size); {@code note} is for the log.
     *
     * @param have for a group allocated by size, the members counted when planning (creation
     *     {@code i} is skipped when {@code have + i} are no longer fewer than wanted); -1 otherwise
     */
    record Create(List<String> logicalIDs, long have, String note) implements Operation {
    }

    /** Drain and destroy these members, in this order, for the reason {@code why}; {@code note} is for the log. */
    record Destroy(List<InstanceDescription> members, DestroyContext why, String note) implements Operation {
    }

    /** @param nanos how long to wait before the next pass: a rolling update waits for health */
    record Wait(long nanos) implements Operation {
    }

    /** @param growTo the size to grow the group to now that the rolling update is done, or -1 */
    record Done(long growTo) implements Operation {
    }

    /** @param reason why the rolling update failed */
    record Failed(String reason) implements Operation {
    }
}
