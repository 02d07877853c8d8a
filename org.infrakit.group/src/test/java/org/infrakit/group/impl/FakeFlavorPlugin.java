package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

/** A flavor that adds a tag, records its calls, and reports scripted health. */
class FakeFlavorPlugin implements FlavorPlugin {
    private final List<String> calls = new ArrayList<>();
    private final List<Index> indexes = new ArrayList<>();
    /** The health of an instance; healthy by default. */
    volatile Function<InstanceDescription, Health> health = d -> Health.HEALTHY;
    /** When set, Validate fails with it. */
    volatile String validateError;
    /** When set, Prepare fails with it. */
    volatile String prepareError;
    /** When set, Drain fails with it. */
    volatile String drainError;
    /** When true, Prepare drops the group's tags (a broken flavor). */
    volatile boolean dropTags;
    /** When set, every call is also appended here (shared with the instance plugin, to see their order). */
    volatile List<String> journal;

    @Override
    public synchronized void validate(RawJson properties, Allocation allocation) throws PluginException {
        record("Validate");
        if (validateError != null) {
            throw new PluginException(validateError);
        }
    }

    @Override
    public InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
            throws PluginException {
        synchronized (this) {
            record("Prepare");
            indexes.add(index);
        }
        if (prepareError != null) {
            throw new PluginException(prepareError);
        }
        Map<String, String> tags = new TreeMap<>(spec.tags());
        if (dropTags) {
            tags.remove(GroupTags.GROUP);
        }
        tags.put("flavor", "fake");
        return spec.withTags(tags);
    }

    @Override
    public Health healthy(RawJson properties, InstanceDescription instance) throws PluginException {
        synchronized (this) {
            record("Healthy " + instance.id());
        }
        return health.apply(instance);
    }

    @Override
    public void drain(RawJson properties, InstanceDescription instance) throws PluginException {
        synchronized (this) {
            record("Drain " + instance.id());
        }
        if (drainError != null) {
            throw new PluginException(drainError);
        }
    }

    private synchronized void record(String call) {
        calls.add(call);
        List<String> j = journal;
        if (j != null) {
            j.add(call);
        }
    }

    synchronized List<String> calls() {
        return new ArrayList<>(calls);
    }

    synchronized List<Long> sequences() {
        return indexes.stream().map(Index::sequence).toList();
    }

    synchronized long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }
}
