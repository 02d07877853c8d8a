package org.infrakit.rpc.impl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;

/** An in-memory instance plugin; IDs are {@code <prefix>-N}. */
public class FakeInstancePlugin implements InstancePlugin {
    private final String prefix;
    private final AtomicLong next = new AtomicLong();
    private final Map<String, InstanceDescription> instances = new ConcurrentHashMap<>();

    /** @param prefix the ID prefix, telling typed objects apart */
    public FakeInstancePlugin(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void validate(RawJson properties) throws PluginException {
        if (properties != null && !properties.isObject()) {
            throw new PluginException("properties must be an object");
        }
    }

    @Override
    public String provision(InstanceSpec spec) {
        String id = prefix + "-" + next.incrementAndGet();
        instances.put(id, InstanceDescription.of(id, spec.logicalID(), spec.tags(), spec.properties()));
        return id;
    }

    @Override
    public void label(String instance, Map<String, String> labels) throws PluginException {
        InstanceDescription d = instances.get(instance);
        if (d == null) {
            throw new PluginException("no instance " + instance);
        }
        Map<String, String> tags = new java.util.HashMap<>(d.tags() == null ? Map.of() : d.tags());
        tags.putAll(labels);
        instances.put(instance, InstanceDescription.of(instance, d.logicalID(), tags, d.properties()));
    }

    @Override
    public void destroy(String instance, DestroyContext context) throws PluginException {
        if (instances.remove(instance) == null) {
            throw new PluginException("no instance " + instance);
        }
    }

    @Override
    public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties) {
        List<InstanceDescription> out = new ArrayList<>();
        for (InstanceDescription d : instances.values()) {
            if (Tags.matches(d.tags(), tags)) {
                out.add(properties ? d : InstanceDescription.of(d.id(), d.logicalID(), d.tags(), null));
            }
        }
        out.sort(java.util.Comparator.comparing(InstanceDescription::id));
        return out;
    }
}
