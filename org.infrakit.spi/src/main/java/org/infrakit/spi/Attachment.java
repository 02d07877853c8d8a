package org.infrakit.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Something attached to an instance when it is provisioned (a volume, a network):
 * {@code {"ID":"attachid","Type":"attachtype"}}.
 *
 * @param id the attachment's ID; {@code ""} when absent
 * @param type the attachment's type; {@code ""} when absent
 */
@JsonPropertyOrder({"ID", "Type"})
public record Attachment(@JsonProperty("ID") String id, @JsonProperty("Type") String type) {
    /** Canonical constructor: {@code null} parts become {@code ""}. */
    public Attachment {
        id = id == null ? "" : id;
        type = type == null ? "" : type;
    }
}
