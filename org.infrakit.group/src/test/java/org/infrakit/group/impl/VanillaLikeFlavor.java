package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.Attachment;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.json.ProtocolJson;
import org.infrakit.rpc.message.FlavorMessages;

import com.fasterxml.jackson.databind.JsonNode;

/** The vanilla flavor's Prepare as plugins-vanilla-file.md describes it; records what it is sent. */
final class VanillaLikeFlavor implements FlavorPlugin {
    final List<FlavorMessages.PrepareRequest> prepared = new ArrayList<>();

    @Override
    public void validate(RawJson properties, Allocation allocation) {
    }

    @Override
    public synchronized InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
            throws PluginException {
        prepared.add(new FlavorMessages.PrepareRequest("", properties, spec, allocation, index));
        JsonNode p;
        try {
            p = properties == null ? ProtocolJson.mapper().createObjectNode() : ProtocolJson.mapper().readTree(properties.json());
        } catch (Exception e) {
            throw new PluginException(e.getMessage());
        }
        List<String> init = new ArrayList<>();
        if (!spec.init().isEmpty()) {
            init.add(spec.init());
        }
        p.path("Init").forEach(n -> init.add(n.asText()));
        Map<String, String> tags = spec.tags() == null ? null : new TreeMap<>(spec.tags());
        if (p.path("Tags").size() > 0) {
            tags = tags == null ? new TreeMap<>() : tags;
            for (Iterator<Map.Entry<String, JsonNode>> it = p.path("Tags").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                tags.put(e.getKey(), e.getValue().asText());
            }
        }
        List<Attachment> attachments = spec.attachments() == null ? null : new ArrayList<>(spec.attachments());
        if (p.has("Attachments")) {
            attachments = attachments == null ? new ArrayList<>() : attachments;
            for (JsonNode a : p.path("Attachments")) {
                attachments.add(new Attachment(a.path("ID").asText(), a.path("Type").asText()));
            }
        }
        return InstanceSpec.of(spec.properties(), tags, String.join("\n", init), spec.logicalID(), attachments);
    }

    @Override
    public Health healthy(RawJson properties, InstanceDescription instance) {
        return Health.HEALTHY;
    }

    @Override
    public void drain(RawJson properties, InstanceDescription instance) {
    }
}
