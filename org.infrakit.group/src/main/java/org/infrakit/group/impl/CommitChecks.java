package org.infrakit.group.impl;

import java.util.HashSet;
import java.util.Set;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;

/**
 * The checks of a committed spec (group-plugin.md §2), in the reference's order and words, plus two
 * of ours on the allocation: no duplicate logical ID, no more instances than the maximum group size.
 */
final class CommitChecks {
    private final PluginLookup lookup;
    private final long maxGroupSize;

    CommitChecks(PluginLookup lookup, long maxGroupSize) {
        this.lookup = lookup;
        this.maxGroupSize = maxGroupSize;
    }

    /**
     * Checks ID, properties, allocation (also against our limits, which a spec loaded at start is
     * not held to), then the flavor plugin and its validation, then the instance plugin and its
     * validation.
     *
     * @return the settings
     * @throws PluginException the first check that fails
     */
    GroupSettings check(GroupSpec spec) throws PluginException {
        if (spec == null) {
            throw new PluginException("Group ID must not be blank");
        }
        GroupSettings settings = checkStatic(spec);
        Set<String> seen = new HashSet<>();
        for (String lid : settings.logicalIDs()) {
            if (!seen.add(lid)) {
                throw new PluginException("Duplicate logical ID '" + lid + "' in Allocation.LogicalIDs: each names one instance");
            }
        }
        if (settings.desiredCount() > maxGroupSize) {
            throw new PluginException("Allocation asks for " + settings.desiredCount() + " instances, more than the "
                    + "maximum group size " + maxGroupSize + " (max.group.size in " + GroupConfig.PID + ".cfg)");
        }
        GroupProperties props = settings.properties();
        FlavorPlugin flavor = findFlavor(props.flavor().plugin());
        try {
            flavor.validate(props.flavor().properties(), props.allocation());
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        InstancePlugin instance = findInstance(props.instance().plugin());
        try {
            instance.validate(props.instance().properties());
        } catch (PluginException | RuntimeException e) {
            throw Failures.asPluginException(e);
        }
        return settings;
    }

    /** The checks that need no plugin, also made on the specs loaded at start: ID, properties, allocation. */
    static GroupSettings checkStatic(GroupSpec spec) throws PluginException {
        if (spec.id() == null || spec.id().isBlank()) {
            throw new PluginException("Group ID must not be blank");
        }
        GroupProperties props = GroupProperties.parse(spec.properties());
        Allocation a = props.allocation();
        boolean byIds = a.logicalIDs() != null && !a.logicalIDs().isEmpty();
        if (a.size() == 0 && !byIds) {
            throw new PluginException("Allocation must not be blank");
        }
        if (a.size() > 0 && byIds) {
            throw new PluginException("Only one Allocation method may be used");
        }
        return GroupSettings.of(spec.id(), props);
    }

    FlavorPlugin findFlavor(String name) throws PluginException {
        PluginRef ref = PluginRef.parse(name);
        FlavorPlugin p = PluginRef.nameProblem(ref.name()) == null ? lookup.flavorPlugin(ref) : null;
        if (p == null) {
            throw new PluginException(Failures.notFound("Flavor", name));
        }
        return p;
    }

    InstancePlugin findInstance(String name) throws PluginException {
        PluginRef ref = PluginRef.parse(name);
        InstancePlugin p = PluginRef.nameProblem(ref.name()) == null ? lookup.instancePlugin(ref) : null;
        if (p == null) {
            throw new PluginException(Failures.notFound("Instance", name));
        }
        return p;
    }
}
