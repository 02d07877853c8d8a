package org.infrakit.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Which instance of which group a flavor is preparing.
 *
 * @param group the group's ID
 * @param sequence the instance's order of creation within the group: 0, 1, 2, …; non-negative
 */
@JsonPropertyOrder({"Group", "Sequence"})
public record Index(@JsonProperty("Group") String group, @JsonProperty("Sequence") long sequence) {
    /**
     * Canonical constructor.
     *
     * @throws IllegalArgumentException when the sequence is negative
     */
    public Index {
        group = group == null ? "" : group;
        if (sequence < 0) {
            throw new IllegalArgumentException("Sequence must be a non-negative integer, not " + sequence);
        }
    }
}
