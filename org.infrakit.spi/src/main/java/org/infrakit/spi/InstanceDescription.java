package org.infrakit.spi;

import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An instance that exists, as its instance plugin describes it.
 *
 * @param id the instance's ID, unique within its plugin
 * @param logicalID its logical ID, {@code null} for cattle
 * @param tags its tags, {@code null} when none; kept sorted in UTF-8 order
 * @param properties plugin-defined details, present only when the caller asked for them and the
 *     plugin has some; the one member of the whole API that is left out when {@code null}
 */
@JsonPropertyOrder({"ID", "LogicalID", "Tags", "Properties"})
public record InstanceDescription(
        @JsonProperty("ID") String id,
        @JsonProperty("LogicalID") String logicalID,
        @JsonProperty("Tags") SortedMap<String, String> tags,
        @JsonProperty("Properties") @JsonInclude(JsonInclude.Include.NON_NULL) RawJson properties) {

    /** Canonical constructor: a {@code null} ID becomes {@code ""}; tags are copied sorted. */
    public InstanceDescription {
        id = id == null ? "" : id;
        tags = Tags.sorted(tags);
    }

    /**
     * @param id see the record
     * @param logicalID see the record
     * @param tags see the record
     * @param properties see the record
     * @return the description
     */
    public static InstanceDescription of(String id, String logicalID, Map<String, String> tags, RawJson properties) {
        return new InstanceDescription(id, logicalID, Tags.sorted(tags), properties);
    }
}
