package org.infrakit.group.impl;

import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code Instance} or {@code Flavor} section of a group's properties:
 * {@code {"Plugin":"instance-file","Properties":{…}}}.
 *
 * @param plugin the plugin reference, {@code name} or {@code name/type}; {@code ""} when absent
 * @param properties the plugin's own properties, kept byte-exact; {@code null} when absent
 */
@JsonPropertyOrder({"Plugin", "Properties"})
public record PluginSection(@JsonProperty("Plugin") String plugin, @JsonProperty("Properties") RawJson properties) {

    /** The section of a group without properties. */
    public static final PluginSection EMPTY = new PluginSection("", null);

    /** Canonical constructor: a {@code null} plugin becomes {@code ""}. */
    public PluginSection {
        plugin = plugin == null ? "" : plugin;
    }

    /** @return the plugin reference split into name and sub-type */
    @JsonIgnore
    public PluginRef ref() {
        return PluginRef.parse(plugin);
    }
}
