package org.infrakit.rpc.message;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.RawJson;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Params and results of the {@code Flavor} service ({@code Flavor/0.1.0}). Every one starts with
 * {@code Type}, the sub-type addressed ({@code ""} for the default object); replies echo it.
 * {@code Validate} and {@code Drain} answer {@link InstanceMessages.OkResponse}.
 */
public final class FlavorMessages {
    private FlavorMessages() {
    }

    private static String orEmpty(String t) {
        return t == null ? "" : t;
    }

    private static Allocation orZero(Allocation a) {
        return a == null ? new Allocation(0, null) : a;
    }

    private static InstanceDescription orZero(InstanceDescription d) {
        return d == null ? new InstanceDescription("", null, null, null) : d;
    }

    /**
     * {@code Flavor.Validate} params.
     *
     * @param type the sub-type
     * @param properties the flavor properties to check
     * @param allocation the group's allocation
     */
    @JsonPropertyOrder({"Type", "Properties", "Allocation"})
    public record ValidateRequest(@JsonProperty("Type") String type, @JsonProperty("Properties") RawJson properties,
            @JsonProperty("Allocation") Allocation allocation) {
        /** Canonical constructor. */
        public ValidateRequest {
            type = orEmpty(type);
            allocation = orZero(allocation);
        }
    }

    /**
     * {@code Flavor.Prepare} params.
     *
     * @param type the sub-type
     * @param properties the flavor properties
     * @param spec the spec to adjust
     * @param allocation the group's allocation
     * @param index which instance this is
     */
    @JsonPropertyOrder({"Type", "Properties", "Spec", "Allocation", "Index"})
    public record PrepareRequest(@JsonProperty("Type") String type, @JsonProperty("Properties") RawJson properties,
            @JsonProperty("Spec") InstanceSpec spec, @JsonProperty("Allocation") Allocation allocation,
            @JsonProperty("Index") Index index) {
        /** Canonical constructor. */
        public PrepareRequest {
            type = orEmpty(type);
            spec = spec == null ? new InstanceSpec(null, null, "", null, null) : spec;
            allocation = orZero(allocation);
            index = index == null ? new Index("", 0) : index;
        }
    }

    /**
     * {@code Flavor.Prepare} result.
     *
     * @param type the sub-type, echoed
     * @param spec the spec to provision
     */
    @JsonPropertyOrder({"Type", "Spec"})
    public record PrepareResponse(@JsonProperty("Type") String type, @JsonProperty("Spec") InstanceSpec spec) {
        /** Canonical constructor. */
        public PrepareResponse {
            type = orEmpty(type);
            spec = spec == null ? new InstanceSpec(null, null, "", null, null) : spec;
        }
    }

    /**
     * {@code Flavor.Healthy} and {@code Flavor.Drain} params.
     *
     * @param type the sub-type
     * @param properties the flavor properties
     * @param instance the instance concerned
     */
    @JsonPropertyOrder({"Type", "Properties", "Instance"})
    public record InstanceRequest(@JsonProperty("Type") String type, @JsonProperty("Properties") RawJson properties,
            @JsonProperty("Instance") InstanceDescription instance) {
        /** Canonical constructor. */
        public InstanceRequest {
            type = orEmpty(type);
            instance = orZero(instance);
        }
    }

    /**
     * {@code Flavor.Healthy} result.
     *
     * @param type the sub-type, echoed
     * @param health the verdict
     */
    @JsonPropertyOrder({"Type", "Health"})
    public record HealthyResponse(@JsonProperty("Type") String type, @JsonProperty("Health") Health health) {
        /** Canonical constructor. */
        public HealthyResponse {
            type = orEmpty(type);
            health = health == null ? Health.UNKNOWN : health;
        }
    }
}
