package org.infrakit.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The desired state of a group: {@code {"ID":"cattle","Properties":{…}}}.
 *
 * @param id the group's ID; {@code ""} when absent
 * @param properties the group plugin's own configuration, opaque to the API; {@code null} when
 *     absent. The default group plugin's schema has {@code Allocation}, {@code Instance} and
 *     {@code Flavor} members.
 */
@JsonPropertyOrder({"ID", "Properties"})
public record GroupSpec(@JsonProperty("ID") String id, @JsonProperty("Properties") RawJson properties) {
    /** Canonical constructor: a {@code null} ID becomes {@code ""}. */
    public GroupSpec {
        id = id == null ? "" : id;
    }
}
