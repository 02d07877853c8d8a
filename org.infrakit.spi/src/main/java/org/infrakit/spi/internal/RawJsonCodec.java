package org.infrakit.spi.internal;

import java.io.IOException;
import java.io.Serial;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import org.infrakit.spi.PluginException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The SPI's private copy of the protocol's JSON rules, just what {@link org.infrakit.spi.RawJson}
 * needs to compact, write and decode a value. It must read and write exactly as
 * {@code org.infrakit.rpc.json.ProtocolJson} does (that class is the public mapper); the SPI cannot
 * use it because {@code rpc} depends on the SPI. The golden-vector and codec tests of {@code rpc}
 * run both through the same cases.
 */
public final class RawJsonCodec {
    private static final JsonFactory FACTORY = new JsonFactory().setCharacterEscapes(new Escapes());

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private RawJsonCodec() {
    }

    /**
     * @param value anything Jackson can write
     * @return its compact JSON text in the reference's spelling
     * @throws IllegalArgumentException when the value cannot be written
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes JSON text into a type with the protocol's rules.
     *
     * @throws PluginException with a one-line message naming the offending member
     */
    public static <T> T decode(String json, Class<T> type) throws PluginException {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new PluginException(describe(e), e);
        }
    }

    /**
     * A one-line account of a decoding failure that names the offending member, e.g.
     * {@code ID must be a string}.
     */
    public static String describe(JsonProcessingException e) {
        String path = "";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    b.append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    b.append('[').append(r.getIndex()).append(']');
                }
            }
            path = b.toString();
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null && !path.isEmpty()) {
            return path + " must be " + kind(mi.getTargetType());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root instanceof JsonProcessingException j ? j.getOriginalMessage() : root.getMessage();
        if (msg == null) {
            msg = e.getOriginalMessage();
        }
        int nl = msg == null ? -1 : msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        return path.isEmpty() ? String.valueOf(msg) : path + ": " + msg;
    }

    private static String kind(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }

    /**
     * Parses one JSON value and writes it back compactly in the reference's spelling, keeping
     * member order, duplicate members and the exact spelling of numbers.
     *
     * @throws IllegalArgumentException when the text is not exactly one well-formed JSON value
     */
    public static String compact(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("not JSON: empty input");
            }
            String out = copyCurrentValue(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("not JSON: text after the value at column "
                        + p.currentLocation().getColumnNr());
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the value the parser stands on (a scalar, or a whole object or array) as compact JSON
     * text in the reference's spelling; the parser is left on the value's last token.
     *
     * @throws IOException when the input is not well-formed
     */
    public static String copyCurrentValue(JsonParser p) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            int depth = 0;
            JsonToken t = p.currentToken();
            do {
                switch (t) {
                    case START_OBJECT -> {
                        g.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> g.writeFieldName(p.currentName());
                    case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw new IOException("unexpected JSON token " + t);
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
                if (t == null) {
                    throw new IOException("unexpected end of JSON input");
                }
            } while (true);
        }
        return w.toString();
    }

    /** Go {@code encoding/json} string escaping; see {@code org.infrakit.rpc.json.GoStringEscapes}. */
    private static final class Escapes extends CharacterEscapes {
        @Serial
        private static final long serialVersionUID = 1L;

        private static final int[] ASCII = standardAsciiEscapesForJSON();
        private static final SerializableString[] CUSTOM = new SerializableString[128];
        private static final SerializableString LS = new SerializedString("\\u2028");
        private static final SerializableString PS = new SerializedString("\\u2029");

        static {
            for (int c = 0; c < 0x20; c++) {
                if (c != '\n' && c != '\r' && c != '\t') {
                    custom(c);
                }
            }
            custom('<');
            custom('>');
            custom('&');
        }

        private static void custom(int c) {
            ASCII[c] = ESCAPE_CUSTOM;
            CUSTOM[c] = new SerializedString(String.format("\\u%04x", c));
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch < 128) {
                return CUSTOM[ch];
            }
            return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
        }
    }
}
