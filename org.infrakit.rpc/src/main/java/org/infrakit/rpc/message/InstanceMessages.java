package org.infrakit.rpc.message;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Params and results of the {@code Instance} service ({@code Instance/0.6.0}). Every one starts
 * with {@code Type}, the sub-type addressed ({@code ""} for the default object); replies echo it.
 */
public final class InstanceMessages {
    private InstanceMessages() {
    }

    private static String orEmpty(String t) {
        return t == null ? "" : t;
    }

    /**
     * {@code Instance.Validate} params.
     *
     * @param type the sub-type
     * @param properties the instance properties to check
     */
    @JsonPropertyOrder({"Type", "Properties"})
    public record ValidateRequest(@JsonProperty("Type") String type, @JsonProperty("Properties") RawJson properties) {
        /** Canonical constructor. */
        public ValidateRequest {
            type = orEmpty(type);
        }
    }

    /**
     * {@code {"Type":…,"OK":true}}: result of {@code Validate}, {@code Label} and {@code Destroy}.
     *
     * @param type the sub-type, echoed
     * @param ok always {@code true} (failures are errors)
     */
    @JsonPropertyOrder({"Type", "OK"})
    public record OkResponse(@JsonProperty("Type") String type, @JsonProperty("OK") boolean ok) {
        /** Canonical constructor. */
        public OkResponse {
            type = orEmpty(type);
        }
    }

    /**
     * {@code Instance.Provision} params.
     *
     * @param type the sub-type
     * @param spec what to provision; the empty spec when absent
     */
    @JsonPropertyOrder({"Type", "Spec"})
    public record ProvisionRequest(@JsonProperty("Type") String type, @JsonProperty("Spec") InstanceSpec spec) {
        /** Canonical constructor. */
        public ProvisionRequest {
            type = orEmpty(type);
            spec = spec == null ? new InstanceSpec(null, null, "", null, null) : spec;
        }
    }

    /**
     * {@code Instance.Provision} result.
     *
     * @param type the sub-type, echoed
     * @param id the new instance's ID, or {@code null}
     */
    @JsonPropertyOrder({"Type", "ID"})
    public record ProvisionResponse(@JsonProperty("Type") String type, @JsonProperty("ID") String id) {
        /** Canonical constructor. */
        public ProvisionResponse {
            type = orEmpty(type);
        }
    }

    /**
     * {@code Instance.Label} params.
     *
     * @param type the sub-type
     * @param instance the instance's ID
     * @param labels the tags to set, or {@code null}
     */
    @JsonPropertyOrder({"Type", "Instance", "Labels"})
    public record LabelRequest(@JsonProperty("Type") String type, @JsonProperty("Instance") String instance,
            @JsonProperty("Labels") SortedMap<String, String> labels) {
        /** Canonical constructor. */
        public LabelRequest {
            type = orEmpty(type);
            instance = instance == null ? "" : instance;
            labels = Tags.sorted(labels);
        }

        /**
         * @param type the sub-type
         * @param instance the instance's ID
         * @param labels the tags to set
         * @return the request
         */
        public static LabelRequest of(String type, String instance, Map<String, String> labels) {
            return new LabelRequest(type, instance, Tags.sorted(labels));
        }
    }

    /**
     * {@code Instance.Destroy} params.
     *
     * @param type the sub-type
     * @param instance the instance's ID
     * @param context why; {@code {"Reason":""}} when absent
     */
    @JsonPropertyOrder({"Type", "Instance", "Context"})
    public record DestroyRequest(@JsonProperty("Type") String type, @JsonProperty("Instance") String instance,
            @JsonProperty("Context") DestroyContext context) {
        /** Canonical constructor. */
        public DestroyRequest {
            type = orEmpty(type);
            instance = instance == null ? "" : instance;
            context = context == null ? new DestroyContext("") : context;
        }
    }

    /**
     * {@code Instance.DescribeInstances} params.
     *
     * @param type the sub-type
     * @param tags the filter, or {@code null}
     * @param properties whether to fill in the descriptions' properties
     */
    @JsonPropertyOrder({"Type", "Tags", "Properties"})
    public record DescribeInstancesRequest(@JsonProperty("Type") String type,
            @JsonProperty("Tags") SortedMap<String, String> tags, @JsonProperty("Properties") boolean properties) {
        /** Canonical constructor. */
        public DescribeInstancesRequest {
            type = orEmpty(type);
            tags = Tags.sorted(tags);
        }

        /**
         * @param type the sub-type
         * @param tags the filter
         * @param properties whether to fill in properties
         * @return the request
         */
        public static DescribeInstancesRequest of(String type, Map<String, String> tags, boolean properties) {
            return new DescribeInstancesRequest(type, Tags.sorted(tags), properties);
        }
    }

    /**
     * {@code Instance.DescribeInstances} result.
     *
     * @param type the sub-type, echoed
     * @param descriptions the matching instances
     */
    @JsonPropertyOrder({"Type", "Descriptions"})
    public record DescribeInstancesResponse(@JsonProperty("Type") String type,
            @JsonProperty("Descriptions") List<InstanceDescription> descriptions) {
        /** Canonical constructor. */
        public DescribeInstancesResponse {
            type = orEmpty(type);
            descriptions = descriptions == null ? null : List.copyOf(descriptions);
        }
    }
}
