package org.infrakit.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An interface a plugin implements, as exchanged in the handshake:
 * {@code {"Name":"Group","Version":"0.1.0"}}. Names and versions are compared as exact strings.
 *
 * @param name the interface name, e.g. {@code Instance}
 * @param version the interface version, e.g. {@code 0.6.0}
 */
@JsonPropertyOrder({"Name", "Version"})
public record InterfaceSpec(@JsonProperty("Name") String name, @JsonProperty("Version") String version) {

    /** The group interface this runtime speaks: {@code Group/0.1.0}. */
    public static final InterfaceSpec GROUP = new InterfaceSpec("Group", "0.1.0");
    /** The instance interface this runtime speaks: {@code Instance/0.6.0}. */
    public static final InterfaceSpec INSTANCE = new InterfaceSpec("Instance", "0.6.0");
    /** The flavor interface this runtime speaks: {@code Flavor/0.1.0}. */
    public static final InterfaceSpec FLAVOR = new InterfaceSpec("Flavor", "0.1.0");

    /** Canonical constructor: {@code null} parts become {@code ""}. */
    public InterfaceSpec {
        name = name == null ? "" : name;
        version = version == null ? "" : version;
    }

    /** @return {@code Name/Version}, the key form used by {@code Handshake.Types} */
    @Override
    public String toString() {
        return name + "/" + version;
    }
}
