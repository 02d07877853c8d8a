package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.infrakit.spi.InstanceDescription;

/** Reads the planners' tables: members and operations written as short strings. */
final class Plans {
    private Plans() {
    }

    /** {@code "i1:a,i2:-"}: instance IDs with their logical ID ({@code -}: none), hash {@code hash}. */
    static List<InstanceDescription> members(String spec, String hash) {
        List<InstanceDescription> out = new ArrayList<>();
        for (String item : split(spec)) {
            String[] parts = item.split(":", -1);
            String lid = parts.length < 2 || parts[1].equals("-") ? null : parts[1];
            String sha = parts.length > 2 ? parts[2] : hash;
            out.add(InstanceDescription.of(parts[0], lid, Map.of(GroupTags.GROUP, "g", GroupTags.CONFIG_SHA, sha), null));
        }
        return out;
    }

    /** {@code "a,b"} as a list; {@code ""} or {@code null} as none. */
    static List<String> split(String list) {
        return list == null || list.isBlank() ? List.of() : Arrays.asList(list.split(","));
    }

    /** The operations as {@code "destroy a b terminate; create 2 from 1"} ({@code ""}: none). */
    static String describe(List<Operation> ops) {
        return ops.stream().map(Plans::describe).collect(Collectors.joining("; "));
    }

    static String describe(Operation op) {
        if (op instanceof Operation.Create c) {
            return c.have() >= 0 ? "create " + c.logicalIDs().size() + " from " + c.have()
                    : "create " + String.join(" ", c.logicalIDs());
        }
        if (op instanceof Operation.Destroy d) {
            return "destroy " + d.members().stream().map(InstanceDescription::id).collect(Collectors.joining(" ")) + " "
                    + d.why().reason();
        }
        if (op instanceof Operation.Wait w) {
            return "wait " + w.nanos();
        }
        if (op instanceof Operation.Done d) {
            return "done " + d.growTo();
        }
        return "failed " + ((Operation.Failed) op).reason();
    }
}
