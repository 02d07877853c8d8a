package org.infrakit.group.impl;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The configuration hash carried in the {@value GroupTags#CONFIG_SHA} tag, computed byte for byte
 * as the reference computes it, so that instances created by a 2017 Go group plugin are recognised
 * as up to date.
 *
 * <p>Each of the group's {@code Instance} and {@code Flavor} sections is turned into the JSON object
 * {@code {"Plugin":…,"Properties":…}}, parsed into a generic tree (objects become maps, numbers
 * become IEEE-754 doubles, a later duplicate member wins) and written back with Go's indented
 * encoder ({@code json.MarshalIndent(v, "  ", "  ")}): keys sorted by their UTF-8 bytes, Go's string
 * escapes, Go's float formatting. The digest is SHA-1 over the two texts, written in lower-case
 * base32 without padding: always 32 characters from {@code [a-z2-7]}.
 */
public final class ConfigHash {
    private static final String PREFIX = "  ";
    private static final String INDENT = "  ";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private ConfigHash() {
    }

    /**
     * @return the hash of the {@code Instance} and {@code Flavor} sections, 32 characters from {@code [a-z2-7]}
     * @throws PluginException when a number does not fit a double (the reference cannot hash it either)
     */
    public static String of(PluginSection instance, PluginSection flavor) throws PluginException {
        String text = canonical(instance.plugin(), instance.properties()) + canonical(flavor.plugin(), flavor.properties());
        return hash(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return SHA-1 of the concatenated canonical texts in lower-case base32 without padding */
    public static String hash(byte[] bytes) {
        try {
            return base32(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /**
     * @return the canonical text of one section, indented, without a trailing newline
     * @throws PluginException when a number does not fit a double
     */
    public static String canonical(String plugin, RawJson properties) throws PluginException {
        Map<String, Object> section = new TreeMap<>(Tags.UTF8_ORDER);
        section.put("Plugin", plugin == null ? "" : plugin);
        section.put("Properties", properties == null ? null : tree(properties.json()));
        StringBuilder b = new StringBuilder();
        write(b, section, 0);
        return b.toString();
    }

    private static Object tree(String json) throws PluginException {
        try (JsonParser p = ProtocolJson.factory().createParser(json)) {
            p.nextToken();
            return value(p);
        } catch (JsonProcessingException e) {
            throw new PluginException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PluginException("cannot read properties: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser p) throws IOException, PluginException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new TreeMap<>(Tags.UTF8_ORDER);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_TRUE, VALUE_FALSE:
                return p.getBooleanValue();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT: {
                String text = p.getText();
                double d = Double.parseDouble(text);
                if (Double.isInfinite(d)) {
                    throw new PluginException("number " + text + " is out of the range of a 64-bit float");
                }
                return d;
            }
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                newline(b, depth + 1);
                b.append(ProtocolJson.write(e.getKey())).append(": ");
                write(b, e.getValue(), depth + 1);
            }
            newline(b, depth);
            b.append('}');
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                newline(b, depth + 1);
                write(b, list.get(i), depth + 1);
            }
            newline(b, depth);
            b.append(']');
        } else if (v instanceof Double d) {
            b.append(formatNumber(d));
        } else if (v instanceof String s) {
            b.append(ProtocolJson.write(s));
        } else if (v instanceof Boolean bool) {
            b.append(bool ? "true" : "false");
        } else {
            b.append("null");
        }
    }

    private static void newline(StringBuilder b, int depth) {
        b.append('\n').append(PREFIX).append(INDENT.repeat(depth));
    }

    /**
     * Formats a double as Go's {@code encoding/json} does (Go 1.8 and later): the shortest digits
     * that read back as the same double, in plain decimal notation when
     * {@code 1e-6 <= |x| < 1e21} (integers without a fraction: {@code 5}, {@code -0}), otherwise
     * in exponent form without leading zeros in the exponent ({@code 1e+21}, {@code 1.5e-7}).
     */
    public static String formatNumber(double d) {
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        }
        double abs = Math.abs(d);
        BigDecimal digits = shortest(abs);
        String sign = d < 0 ? "-" : "";
        if (abs < 1e-6 || abs >= 1e21) {
            String unscaled = digits.unscaledValue().toString();
            int exponent = digits.precision() - digits.scale() - 1;
            StringBuilder b = new StringBuilder(sign).append(unscaled.charAt(0));
            if (unscaled.length() > 1) {
                b.append('.').append(unscaled, 1, unscaled.length());
            }
            b.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
            return b.toString();
        }
        return sign + digits.toPlainString();
    }

    /**
     * The shortest decimal that reads back as the given double, the nearest one when several
     * have that length. (Java 17's {@code Double.toString} is not always the shortest.)
     */
    private static BigDecimal shortest(double positive) {
        BigDecimal exact = new BigDecimal(positive);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == positive) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static String base32(byte[] bytes) {
        StringBuilder b = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte x : bytes) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                b.append(BASE32[(buffer >> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(BASE32[(buffer << (5 - bits)) & 0x1f]);
        }
        return b.toString();
    }
}
