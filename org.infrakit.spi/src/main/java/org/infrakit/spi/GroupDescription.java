package org.infrakit.spi;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a group looks like now: {@code {"Instances":[…],"Converged":true}}.
 *
 * @param instances the group's members as its instance plugin describes them; may be {@code null}
 *     (written as {@code null}) or empty (written as {@code []})
 * @param converged whether the group matches its most recent commit: the right number of members
 *     (or exactly one per logical ID), every member on the current configuration, no update in
 *     flight
 */
@JsonPropertyOrder({"Instances", "Converged"})
public record GroupDescription(
        @JsonProperty("Instances") List<InstanceDescription> instances,
        @JsonProperty("Converged") boolean converged) {
    /** Canonical constructor: the list is copied. */
    public GroupDescription {
        instances = instances == null ? null : List.copyOf(instances);
    }
}
