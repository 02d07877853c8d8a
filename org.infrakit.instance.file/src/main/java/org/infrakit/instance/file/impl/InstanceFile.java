package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The content of one instance file, in the reference's format: an object with {@code ID},
 * {@code LogicalID}, {@code Tags} (the instance's current tags, changed by Label) and {@code Spec}
 * (the spec as provisioned, never changed), written by {@link #encode()} exactly as the 2017 Go
 * plugin writes it, so that either plugin reads the other's directory.
 *
 * @param id the instance ID; {@code ""} when the file has none
 * @param logicalID the logical ID, {@code null} for cattle
 * @param tags the current tags, {@code null} when none; sorted in UTF-8 order
 * @param properties a top-level {@code Properties} member: never written by either plugin, but
 *     the reference's file struct has it (it embeds {@code instance.Description}), so one in a
 *     hand-made file survives a Label; {@code null} (and then not written) otherwise
 * @param spec the spec as provisioned; the zero spec when the file has none
 */
@JsonPropertyOrder({"ID", "LogicalID", "Tags", "Properties", "Spec"})
record InstanceFile(
        @JsonProperty("ID") String id,
        @JsonProperty("LogicalID") String logicalID,
        @JsonProperty("Tags") SortedMap<String, String> tags,
        @JsonProperty("Properties") @JsonInclude(JsonInclude.Include.NON_NULL) RawJson properties,
        @JsonProperty("Spec") InstanceSpec spec) {

    /** The spec Go's zero value stands for. */
    static final InstanceSpec ZERO_SPEC = new InstanceSpec(null, null, "", null, null);

    /** The first JSON value of a file; whatever follows it is ignored, as Go's decoder does. */
    private static final ObjectReader READER = ProtocolJson.mapper().readerFor(InstanceFile.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Canonical constructor: Go's zero values for absent members; a {@code null} tag value is {@code ""}. */
    InstanceFile {
        id = id == null ? "" : id;
        tags = withoutNullValues(tags);
        spec = spec == null ? ZERO_SPEC : spec;
    }

    private static SortedMap<String, String> withoutNullValues(Map<String, String> tags) {
        if (tags == null) {
            return null;
        }
        TreeMap<String, String> copy = new TreeMap<>(Tags.UTF8_ORDER);
        tags.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return Tags.sorted(copy);
    }

    /**
     * The file the reference writes for a newly provisioned instance.
     *
     * @param id the new ID
     * @param spec the spec
     * @return the file content
     */
    static InstanceFile provisioned(String id, InstanceSpec spec) {
        return new InstanceFile(id, spec.logicalID(), spec.tags(), null, spec);
    }

    /**
     * Reads the first JSON value of a file. A file holding just {@code null} is the zero instance,
     * as for Go.
     *
     * @param in the file's bytes (UTF-8, or any encoding JSON allows)
     * @return the content
     * @throws IOException when the bytes are not a JSON value of this shape
     */
    static InstanceFile read(InputStream in) throws IOException {
        InstanceFile f = READER.readValue(in);
        return f == null ? new InstanceFile(null, null, null, null, null) : f;
    }

    /**
     * An instance is its file: the file name is its ID (the reference names every file after the
     * ID it writes into it). A file whose {@code ID} says otherwise, for example a copy of another
     * group's member with that member's ID, is not an instance: describing it would hand out an
     * ID whose Destroy or Label acts on another file.
     *
     * @param fileName the file's name in the instance directory
     * @param file its content
     * @return why the file is not the instance its name says, or {@code null} when it is
     */
    static String identityProblem(String fileName, InstanceFile file) {
        if (file.id().equals(fileName)) {
            return null;
        }
        return "its ID " + ProtocolJson.write(file.id()) + " is not its file name; an instance file must be "
                + "named after its ID";
    }

    /** @return the exact bytes the reference writes for this content (no trailing newline) */
    byte[] encode() {
        return InstanceFileLayout.indent(ProtocolJson.write(this)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param labels tags to add or overwrite
     * @return this content with the labels merged into the top-level tags (the map is created
     *     when it was {@code null}, even for no labels, as the reference does); the spec is kept
     */
    InstanceFile labelled(Map<String, String> labels) {
        TreeMap<String, String> merged = new TreeMap<>(Tags.UTF8_ORDER);
        if (tags != null) {
            merged.putAll(tags);
        }
        if (labels != null) {
            labels.forEach((k, v) -> merged.put(k, v == null ? "" : v));
        }
        return new InstanceFile(id, logicalID, merged, properties, spec);
    }

    /**
     * @return the description DescribeInstances gives without properties (a top-level
     *     {@code Properties} member is not reported: with properties requested, the stored spec is)
     */
    InstanceDescription description() {
        return new InstanceDescription(id, logicalID, tags, null);
    }
}
