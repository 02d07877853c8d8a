package org.infrakit.flavor.vanilla.impl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.Attachment;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The vanilla flavor's properties:
 * {@code {"Init":["<shell line>",…],"Tags":{"<key>":"<value>",…},"Attachments":[{"ID":…,"Type":…},…]}}.
 * Every member is optional, unknown members are ignored and names match case-insensitively, as
 * the reference decodes them.
 *
 * @param init lines appended to the instance's init script; never {@code null}
 * @param tags tags set on the instance (they overwrite existing keys); never {@code null}
 * @param attachments attachments appended to the instance's; never {@code null}
 */
@JsonPropertyOrder({"Init", "Tags", "Attachments"})
public record VanillaProperties(
        @JsonProperty("Init") List<String> init,
        @JsonProperty("Tags") Map<String, String> tags,
        @JsonProperty("Attachments") List<Attachment> attachments) {

    /** No init lines, no tags, no attachments: what {@code null} properties mean. */
    public static final VanillaProperties EMPTY = new VanillaProperties(null, null, null);

    /**
     * Canonical constructor. Absent members become empty; a JSON {@code null} element becomes the
     * zero value Go would have left there ({@code ""}, or an attachment with empty ID and type).
     */
    public VanillaProperties {
        List<String> lines = new ArrayList<>();
        if (init != null) {
            for (String line : init) {
                lines.add(line == null ? "" : line);
            }
        }
        init = List.copyOf(lines);
        Map<String, String> t = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach((k, v) -> t.put(k, v == null ? "" : v));
        }
        tags = java.util.Collections.unmodifiableMap(t);
        List<Attachment> a = new ArrayList<>();
        if (attachments != null) {
            for (Attachment attachment : attachments) {
                a.add(attachment == null ? new Attachment("", "") : attachment);
            }
        }
        attachments = List.copyOf(a);
    }

    /**
     * Decodes flavor properties.
     *
     * @param properties the raw properties; {@code null} (absent or JSON {@code null}) is allowed
     * @return the decoded properties, {@link #EMPTY} for {@code null}
     * @throws PluginException naming the offending member when the value does not fit the schema
     */
    public static VanillaProperties decode(RawJson properties) throws PluginException {
        if (properties == null) {
            return EMPTY;
        }
        if (!properties.isObject()) {
            throw new PluginException("invalid vanilla flavor properties: they must be a JSON object, not "
                    + JsonKinds.of(properties));
        }
        try {
            return properties.decode(VanillaProperties.class);
        } catch (PluginException e) {
            throw new PluginException("invalid vanilla flavor properties: " + e.getMessage(), e);
        }
    }
}
