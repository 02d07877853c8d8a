package org.infrakit.spi;

import java.util.Objects;

import org.infrakit.spi.internal.RawJsonCodec;
import org.infrakit.spi.internal.RawJsonDeserializer;
import org.infrakit.spi.internal.RawJsonSerializer;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * An opaque JSON value carried without loss: a plugin's own {@code Properties}.
 *
 * <p>The text is kept as compact JSON in the reference's spelling: member order, duplicate members
 * and number spelling ({@code 1.0} stays {@code 1.0}, {@code 9007199254740993} stays exact) survive
 * a round trip; only insignificant white space is dropped and strings are escaped as the reference
 * escapes them ({@code <} becomes <code>&#92;u003c</code>). A JSON {@code null} is represented by a Java
 * {@code null} reference to a {@code RawJson}, never by an instance.
 */
@JsonSerialize(using = RawJsonSerializer.class)
@JsonDeserialize(using = RawJsonDeserializer.class)
public final class RawJson {
    private final String json;

    private RawJson(String compactJson) {
        this.json = compactJson;
    }

    /**
     * Parses and compacts JSON text.
     *
     * @param json one JSON value; text after it is an error
     * @return the value, or {@code null} when the text is the literal {@code null}
     * @throws IllegalArgumentException when the text is not one well-formed JSON value
     */
    public static RawJson of(String json) {
        String compact = RawJsonCodec.compact(json);
        return "null".equals(compact) ? null : new RawJson(compact);
    }

    /**
     * Wraps text that is already compact JSON in the reference's spelling, without checking it.
     * Meant for codecs that produced the text themselves; everyone else uses {@link #of(String)}.
     *
     * @param compactJson compact JSON, not {@code null} and not the literal {@code null}
     * @return the value
     */
    public static RawJson trusted(String compactJson) {
        return new RawJson(Objects.requireNonNull(compactJson, "compactJson"));
    }

    /**
     * Serialises a value (a record, a map, a tree) to its reference JSON form.
     *
     * @param value anything Jackson can write
     * @return the value, or {@code null} for a {@code null} value
     */
    public static RawJson from(Object value) {
        return value == null ? null : of(RawJsonCodec.write(value));
    }

    /** @return the compact JSON text */
    public String json() {
        return json;
    }

    /**
     * Decodes this value into a type, with the protocol's lenient rules (member names match
     * case-insensitively, unknown members are ignored) and its strict types (no string where a
     * number is expected, no fraction for an integer).
     *
     * @param <T> the target type
     * @param type the target type
     * @return the decoded value
     * @throws PluginException with the decoder's message when the value does not fit the type
     */
    public <T> T decode(Class<T> type) throws PluginException {
        return RawJsonCodec.decode(json, type);
    }

    /** @return whether this is a JSON object */
    public boolean isObject() {
        return json.startsWith("{");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    /** @return the compact JSON text */
    @Override
    public String toString() {
        return json;
    }
}
