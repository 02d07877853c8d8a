package org.infrakit.rpc.message;

import java.util.List;

import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupSpec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Params and results of the {@code Group} service ({@code Group/0.1.0}). */
public final class GroupMessages {
    private GroupMessages() {
    }

    /**
     * {@code Group.CommitGroup} params.
     *
     * @param spec the group spec; an empty spec when absent
     * @param pretend {@code true} for a dry run
     */
    @JsonPropertyOrder({"Spec", "Pretend"})
    public record CommitGroupRequest(@JsonProperty("Spec") GroupSpec spec, @JsonProperty("Pretend") boolean pretend) {
        /** Canonical constructor: an absent spec is the empty spec. */
        public CommitGroupRequest {
            spec = spec == null ? new GroupSpec("", null) : spec;
        }
    }

    /** @param details the plan, for humans */
    public record CommitGroupResponse(@JsonProperty("Details") String details) {
        /** Canonical constructor. */
        public CommitGroupResponse {
            details = details == null ? "" : details;
        }
    }

    /** @param id the group's ID; params of {@code FreeGroup}, {@code DescribeGroup}, {@code DestroyGroup} */
    public record GroupIdRequest(@JsonProperty("ID") String id) {
        /** Canonical constructor. */
        public GroupIdRequest {
            id = id == null ? "" : id;
        }
    }

    /** @param ok always {@code true}; result of {@code FreeGroup} and {@code DestroyGroup} */
    public record OkResponse(@JsonProperty("OK") boolean ok) {
        /** {@code {"OK":true}}. */
        public static final OkResponse OK = new OkResponse(true);
    }

    /** @param description the group as it is */
    public record DescribeGroupResponse(@JsonProperty("Description") GroupDescription description) {
    }

    /** {@code Group.InspectGroups} params: no members. */
    public record InspectGroupsRequest() {
    }

    /** @param groups the specs of all managed groups; {@code null} (not {@code []}) when none */
    public record InspectGroupsResponse(@JsonProperty("Groups") List<GroupSpec> groups) {
        /** Canonical constructor: an empty list becomes {@code null}, as the reference writes it. */
        public InspectGroupsResponse {
            groups = groups == null || groups.isEmpty() ? null : List.copyOf(groups);
        }
    }
}
