package org.infrakit.spi.internal;

import java.io.IOException;

import org.infrakit.spi.RawJson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** Writes a {@link RawJson} as its text, unchanged. */
public final class RawJsonSerializer extends StdSerializer<RawJson> {
    private static final long serialVersionUID = 1L;

    /** Creates the serializer. */
    public RawJsonSerializer() {
        super(RawJson.class);
    }

    @Override
    public void serialize(RawJson value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeRawValue(value.json());
    }
}
