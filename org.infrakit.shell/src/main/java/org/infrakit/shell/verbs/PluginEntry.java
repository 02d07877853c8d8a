package org.infrakit.shell.verbs;

import org.infrakit.spi.PluginRef;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 *     the bridge registered for a foreign socket, {@code external} for a process the runtime's
 *     launcher supervises, {@code foreign process} for a socket that is not imported, or whatever
 *     the front end knows
 * @param imported whether the plugin is served by another process
 * @param problem why the plugin cannot be used, {@code null} when it can
 * @param process the process behind the plugin when the runtime's launcher supervises it,
 *     {@code null} otherwise (and then left out of the JSON form)
 */
@JsonPropertyOrder({"Name", "Type", "Interface", "Socket", "Origin", "Imported", "Problem", "Process"})
public record PluginEntry(
        @JsonProperty("Name") String name,
        @JsonProperty("Type") String type,
        @JsonProperty("Interface") String api,
        @JsonProperty("Socket") String socket,
        @JsonProperty("Origin") String origin,
        @JsonProperty("Imported") boolean imported,
        @JsonProperty("Problem") String problem,
        @JsonProperty("Process") @JsonInclude(JsonInclude.Include.NON_NULL) ProcessStatus process) {

    /** Canonical constructor: {@code null} name, type, interface and origin become {@code ""}. */
    public PluginEntry {
        name = name == null ? "" : name;
        type = type == null ? "" : type;
        api = api == null ? "" : api;
        origin = origin == null ? "" : origin;
    }

    /**
     * An entry without a supervised process.
     *
     * @param name the plugin name
     * @param type the sub-type
     * @param api the interface
     * @param socket the socket's path
     * @param origin where the plugin lives
     * @param imported whether another process serves it
     * @param problem why it cannot be used
     */
    public PluginEntry(String name, String type, String api, String socket, String origin, boolean imported,
            String problem) {
        this(name, type, api, socket, origin, imported, problem, null);
    }

    /**
     * @param problem why the plugin cannot be used
     * @return this entry with that problem
     */
    public PluginEntry withProblem(String problem) {
        return new PluginEntry(name, type, api, socket, origin, imported, problem, process);
    }

    /**
     * @param socket the socket's path
     * @return this entry with that socket
     */
    public PluginEntry withSocket(String socket) {
        return new PluginEntry(name, type, api, socket, origin, imported, problem, process);
    }

    /**
     * @param origin where the plugin lives
     * @param process the supervised process, or {@code null}
     * @return this entry with that origin and process
     */
    public PluginEntry withOrigin(String origin, ProcessStatus process) {
        return new PluginEntry(name, type, api, socket, origin, imported, problem, process);
    }

    /** @return the origin as a table shows it: with the process's summary in brackets when there is one */
    @JsonIgnore
    public String originText() {
        return process == null ? origin : origin + " (" + process.summary() + ")";
    }

    /** @return {@code name} or {@code name/type}, as group specs and command lines write it */
    @JsonIgnore
    public String object() {
        return new PluginRef(name, type).toString();
    }
}
