package org.infrakit.spi;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What to provision: the instance plugin's properties plus the tags, init script, logical ID and
 * attachments a flavor and the group prepared.
 *
 * @param properties the instance plugin's own configuration; {@code null} when absent
 * @param tags the tags the new instance must carry; {@code null} when none (written as
 *     {@code null}); kept sorted in UTF-8 order
 * @param init the init script, lines joined with {@code \n}; {@code ""} when none
 * @param logicalID the logical ID for quorum groups, {@code null} for cattle
 * @param attachments what to attach; {@code null} when none
 */
@JsonPropertyOrder({"Properties", "Tags", "Init", "LogicalID", "Attachments"})
public record InstanceSpec(
        @JsonProperty("Properties") RawJson properties,
        @JsonProperty("Tags") SortedMap<String, String> tags,
        @JsonProperty("Init") String init,
        @JsonProperty("LogicalID") String logicalID,
        @JsonProperty("Attachments") List<Attachment> attachments) {

    /** Canonical constructor: {@code init} defaults to {@code ""}; collections are copied. */
    public InstanceSpec {
        tags = Tags.sorted(tags);
        init = init == null ? "" : init;
        attachments = attachments == null ? null : List.copyOf(attachments);
    }

    /**
     * Convenience constructor taking any map for the tags.
     *
     * @param properties see the record
     * @param tags see the record
     * @param init see the record
     * @param logicalID see the record
     * @param attachments see the record
     * @return the spec
     */
    public static InstanceSpec of(RawJson properties, Map<String, String> tags, String init, String logicalID,
            List<Attachment> attachments) {
        return new InstanceSpec(properties, Tags.sorted(tags), init, logicalID, attachments);
    }

    /** @param newTags the tags to carry @return a copy with these tags */
    public InstanceSpec withTags(Map<String, String> newTags) {
        return of(properties, newTags, init, logicalID, attachments);
    }
}
