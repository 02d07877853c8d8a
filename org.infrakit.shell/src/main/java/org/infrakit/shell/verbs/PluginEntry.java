package org.infrakit.shell.verbs;

import org.infrakit.spi.PluginRef;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One plugin object and one interface it implements, as the plugin listings show it. A plugin
 * serving two interfaces (a group plugin that also serves Metadata) is two entries.
 *
 * @param name the plugin name (the socket's file name)
 * @param type the sub-type, {@code ""} for the default object
 * @param api the interface as {@code Name/Version}, e.g. {@code Instance/0.6.0}; {@code ""} when
 *     unknown (a socket that did not answer)
 * @param socket the socket's path, {@code null} when not known
 * @param origin where the plugin lives: a bundle's symbolic name, {@code imported} for a proxy
 *     the bridge registered for a foreign socket, or whatever the front end knows
 * @param imported whether the plugin is served by another process
 * @param problem why the plugin cannot be used, {@code null} when it can
 */
@JsonPropertyOrder({"Name", "Type", "Interface", "Socket", "Origin", "Imported", "Problem"})
public record PluginEntry(
        @JsonProperty("Name") String name,
        @JsonProperty("Type") String type,
        @JsonProperty("Interface") String api,
        @JsonProperty("Socket") String socket,
        @JsonProperty("Origin") String origin,
        @JsonProperty("Imported") boolean imported,
        @JsonProperty("Problem") String problem) {

    /** Canonical constructor: {@code null} name, type, interface and origin become {@code ""}. */
    public PluginEntry {
        name = name == null ? "" : name;
        type = type == null ? "" : type;
        api = api == null ? "" : api;
        origin = origin == null ? "" : origin;
    }

    /** @return {@code name} or {@code name/type}, as group specs and command lines write it */
    @JsonIgnore
    public String object() {
        return new PluginRef(name, type).toString();
    }
}
