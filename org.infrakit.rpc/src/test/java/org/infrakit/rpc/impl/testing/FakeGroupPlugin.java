package org.infrakit.rpc.impl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;

/**
 * Behaves like a fresh default group plugin with no instances: commits are remembered,
 * unknown groups are "not being watched".
 */
public class FakeGroupPlugin implements GroupPlugin {
    private final Map<String, GroupSpec> groups = new ConcurrentHashMap<>();

    @Override
    public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
        if (spec.id().isBlank()) {
            throw new PluginException("Group ID must not be blank");
        }
        if (!pretend) {
            groups.put(spec.id(), spec);
        }
        return "Managing 0 instances";
    }

    @Override
    public void freeGroup(String id) throws PluginException {
        if (groups.remove(id) == null) {
            throw notWatched(id);
        }
    }

    @Override
    public GroupDescription describeGroup(String id) throws PluginException {
        if (!groups.containsKey(id)) {
            throw notWatched(id);
        }
        return new GroupDescription(List.of(), true);
    }

    @Override
    public void destroyGroup(String id) throws PluginException {
        freeGroup(id);
    }

    @Override
    public List<GroupSpec> inspectGroups() throws PluginException {
        return new ArrayList<>(groups.values());
    }

    private static PluginException notWatched(String id) {
        return new PluginException("Group '" + id + "' is not being watched");
    }
}
