package org.infrakit.spi;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How many instances a group has: either a size (cattle) or a list of logical IDs (pets, one
 * instance per ID). A group uses exactly one of the two.
 *
 * @param size the number of instances; a non-negative integer
 * @param logicalIDs the logical IDs, {@code null} when unused
 */
@JsonPropertyOrder({"Size", "LogicalIDs"})
public record Allocation(@JsonProperty("Size") long size, @JsonProperty("LogicalIDs") List<String> logicalIDs) {

    /**
     * Canonical constructor.
     *
     * @throws IllegalArgumentException when the size is negative
     */
    public Allocation {
        if (size < 0) {
            throw new IllegalArgumentException("Size must be a non-negative integer, not " + size);
        }
        logicalIDs = logicalIDs == null ? null : List.copyOf(logicalIDs);
    }

    /** @param size the size @return a size allocation */
    public static Allocation ofSize(long size) {
        return new Allocation(size, null);
    }

    /** @param ids the logical IDs @return a logical-ID allocation */
    public static Allocation ofLogicalIDs(List<String> ids) {
        return new Allocation(0, ids);
    }
}
