package org.infrakit.spi.internal;

import java.io.IOException;

import org.infrakit.spi.RawJson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads any JSON value into a {@link RawJson}, keeping member order and number spelling; a JSON
 * {@code null} becomes a {@code null} reference.
 */
public final class RawJsonDeserializer extends StdDeserializer<RawJson> {
    private static final long serialVersionUID = 1L;

    /** Creates the deserializer. */
    public RawJsonDeserializer() {
        super(RawJson.class);
    }

    @Override
    public RawJson deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return RawJson.trusted(RawJsonCodec.copyCurrentValue(p));
    }
}
