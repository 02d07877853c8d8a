package org.infrakit.group.impl;

import java.util.List;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;

/**
 * A group's validated settings: its ID, its decoded properties and their configuration hash.
 *
 * @param id the group's ID
 * @param properties the decoded properties
 * @param hash the configuration hash of the instance and flavor sections ({@link ConfigHash})
 */
public record GroupSettings(String id, GroupProperties properties, String hash) {

    /** @throws PluginException {@code Invalid properties: …} when the properties cannot be hashed */
    public static GroupSettings of(String id, GroupProperties properties) throws PluginException {
        try {
            return new GroupSettings(id, properties, ConfigHash.of(properties.instance(), properties.flavor()));
        } catch (PluginException e) {
            throw new PluginException("Invalid properties: " + e.getMessage(), e);
        }
    }

    public PluginRef instanceRef() {
        return properties.instance().ref();
    }

    public PluginRef flavorRef() {
        return properties.flavor().ref();
    }

    public Allocation allocation() {
        return properties.allocation();
    }

    /** @return whether the group is allocated by logical IDs */
    public boolean isQuorum() {
        return properties.isQuorum();
    }

    /** @return the size of a scaled group (0 for a quorum group) */
    public long size() {
        return properties.allocation().size();
    }

    /** @return the logical IDs of a quorum group, empty for a scaled group */
    public List<String> logicalIDs() {
        List<String> ids = properties.allocation().logicalIDs();
        return ids == null ? List.of() : ids;
    }

    /** @return the number of instances the group should have */
    public long desiredCount() {
        return properties.desiredCount();
    }
}
