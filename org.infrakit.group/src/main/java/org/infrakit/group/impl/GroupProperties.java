package org.infrakit.group.impl;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The default group plugin's schema for a group spec's {@code Properties}:
 * <pre>
 * {"Instance":   {"Plugin": "&lt;name&gt;", "Properties": &lt;raw JSON&gt;},
 *  "Flavor":     {"Plugin": "&lt;name&gt;", "Properties": &lt;raw JSON&gt;},
 *  "Allocation": {"Size": &lt;uint&gt;, "LogicalIDs": ["&lt;id&gt;", …]}}
 * </pre>
 * Written back (InspectGroups) with exactly these members in this order.
 *
 * @param instance the instance plugin and its properties
 * @param flavor the flavor plugin and its properties
 * @param allocation the size or the logical IDs
 */
@JsonPropertyOrder({"Instance", "Flavor", "Allocation"})
public record GroupProperties(
        @JsonProperty("Instance") PluginSection instance,
        @JsonProperty("Flavor") PluginSection flavor,
        @JsonProperty("Allocation") Allocation allocation) {

    /** Canonical constructor: absent parts become their zero values. */
    public GroupProperties {
        instance = instance == null ? PluginSection.EMPTY : instance;
        flavor = flavor == null ? PluginSection.EMPTY : flavor;
        allocation = allocation == null ? new Allocation(0, null) : allocation;
    }

    /** @return whether the group is allocated by logical IDs (pets) rather than by size */
    @JsonIgnore
    public boolean isQuorum() {
        return allocation.logicalIDs() != null && !allocation.logicalIDs().isEmpty();
    }

    /** @return the number of instances the group should have */
    @JsonIgnore
    public long desiredCount() {
        return isQuorum() ? allocation.logicalIDs().size() : allocation.size();
    }

    /** @return the properties as the reference writes them back, compact */
    public RawJson toJson() {
        return RawJson.from(this);
    }

    /**
     * Decodes a group spec's properties the way the reference does: member names match
     * case-insensitively, unknown members are ignored, a {@code null} member
     * keeps the zero value, a later duplicate overrides an earlier one. A {@code Plugin} that is
     * not a JSON string is refused at once with {@code bad-format-for-name:<raw JSON>}; other type
     * errors are reported after the whole value was read (the first one wins).
     *
     * @param properties the spec's properties, or {@code null}
     * @return the decoded properties; all zero for {@code null}
     * @throws PluginException {@code Invalid properties: <reason>}
     */
    public static GroupProperties parse(RawJson properties) throws PluginException {
        if (properties == null) {
            return new GroupProperties(null, null, null);
        }
        Decoder d = new Decoder();
        try (JsonParser p = ProtocolJson.factory().createParser(properties.json())) {
            p.nextToken();
            GroupProperties result = d.spec(p);
            if (d.firstError != null) {
                throw new PluginException("Invalid properties: " + d.firstError);
            }
            return result;
        } catch (NameError e) {
            throw new PluginException("Invalid properties: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new PluginException("Invalid properties: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PluginException("Invalid properties: " + e.getMessage(), e);
        }
    }

    /** A plugin name that is not a string: aborts decoding, as the reference's name decoder does. */
    private static final class NameError extends IOException {
        private static final long serialVersionUID = 1L;

        NameError(String message) {
            super(message);
        }
    }

    private static final class Decoder {
        String firstError;

        private void typeError(String message) {
            if (firstError == null) {
                firstError = message;
            }
        }

        GroupProperties spec(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                typeError("properties must be an object, not " + kind(p.currentToken()));
                return new GroupProperties(null, null, null);
            }
            PluginSection instance = null;
            PluginSection flavor = null;
            Allocation allocation = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equalsIgnoreCase("Instance")) {
                    instance = section(p, "Instance", instance);
                } else if (name.equalsIgnoreCase("Flavor")) {
                    flavor = section(p, "Flavor", flavor);
                } else if (name.equalsIgnoreCase("Allocation")) {
                    allocation = allocation(p, allocation);
                } else {
                    p.skipChildren();
                }
            }
            return new GroupProperties(instance, flavor, allocation);
        }

        private PluginSection section(JsonParser p, String path, PluginSection previous) throws IOException {
            PluginSection current = previous == null ? PluginSection.EMPTY : previous;
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return current;
            }
            if (t != JsonToken.START_OBJECT) {
                typeError(path + " must be an object, not " + kind(t));
                p.skipChildren();
                return current;
            }
            String plugin = current.plugin();
            RawJson props = current.properties();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equalsIgnoreCase("Plugin")) {
                    if (v != JsonToken.VALUE_STRING) {
                        throw new NameError("bad-format-for-name:" + ProtocolJson.copyCurrentValue(p));
                    }
                    plugin = p.getText();
                } else if (name.equalsIgnoreCase("Properties")) {
                    props = v == JsonToken.VALUE_NULL ? null : RawJson.trusted(ProtocolJson.copyCurrentValue(p));
                } else {
                    p.skipChildren();
                }
            }
            return new PluginSection(plugin, props);
        }

        private Allocation allocation(JsonParser p, Allocation previous) throws IOException {
            long size = previous == null ? 0 : previous.size();
            List<String> ids = previous == null ? null : previous.logicalIDs();
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return previous;
            }
            if (t != JsonToken.START_OBJECT) {
                typeError("Allocation must be an object, not " + kind(t));
                p.skipChildren();
                return previous;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equalsIgnoreCase("Size")) {
                    if (v == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        typeError("Allocation.Size must be a non-negative integer, not "
                                + (v == JsonToken.VALUE_NUMBER_FLOAT ? p.getText() : kind(v)));
                        p.skipChildren();
                        continue;
                    }
                    BigInteger n = p.getBigIntegerValue();
                    if (n.signum() < 0 || n.bitLength() > 63) {
                        typeError("Allocation.Size must be a non-negative integer below 2^63, not " + n);
                        continue;
                    }
                    size = n.longValue();
                } else if (name.equalsIgnoreCase("LogicalIDs")) {
                    if (v == JsonToken.VALUE_NULL) {
                        ids = null;
                        continue;
                    }
                    if (v != JsonToken.START_ARRAY) {
                        typeError("Allocation.LogicalIDs must be an array of strings, not " + kind(v));
                        p.skipChildren();
                        continue;
                    }
                    List<String> list = new ArrayList<>();
                    int i = 0;
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e == JsonToken.VALUE_STRING) {
                            list.add(p.getText());
                        } else {
                            typeError("Allocation.LogicalIDs[" + i + "] must be a string, not " + kind(e));
                            p.skipChildren();
                        }
                        i++;
                    }
                    ids = list;
                } else {
                    p.skipChildren();
                }
            }
            return new Allocation(size, ids);
        }

        private static String kind(JsonToken t) {
            if (t == null) {
                return "nothing";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.asString();
            };
        }
    }
}
