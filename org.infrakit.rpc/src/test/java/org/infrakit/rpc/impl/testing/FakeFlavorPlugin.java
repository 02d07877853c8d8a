package org.infrakit.rpc.impl.testing;

import java.util.HashMap;
import java.util.Map;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

/** A flavor plugin that tags prepared specs with {@code flavor=<name>}. */
public class FakeFlavorPlugin implements FlavorPlugin {
    private final String name;

    /** @param name the tag value it adds */
    public FakeFlavorPlugin(String name) {
        this.name = name;
    }

    @Override
    public void validate(RawJson properties, Allocation allocation) throws PluginException {
        if (allocation.size() == 0 && allocation.logicalIDs() == null) {
            throw new PluginException("no allocation");
        }
    }

    @Override
    public InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index) {
        Map<String, String> tags = new HashMap<>(spec.tags() == null ? Map.of() : spec.tags());
        tags.put("flavor", name);
        return spec.withTags(tags);
    }

    @Override
    public Health healthy(RawJson properties, InstanceDescription instance) {
        return Health.HEALTHY;
    }

    @Override
    public void drain(RawJson properties, InstanceDescription instance) {
    }
}
