package org.infrakit.rpc.json;

import java.io.Serial;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Go {@code encoding/json} string escaping: {@code \n \r \t} short, every other control character
 * as <code>&#92;u00xx</code> with lower-case hex (so {@code \b} is <code>&#92;u0008</code>), {@code < > &} as
 * <code>&#92;u003c &#92;u003e &#92;u0026</code>, and U+2028/U+2029 escaped. Everything else, non-ASCII included, is
 * written as it is.
 */
final class ProtocolEscapes extends CharacterEscapes {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int[] ASCII = standardAsciiEscapesForJSON();
    private static final SerializableString[] CUSTOM = new SerializableString[128];

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

    private static final SerializableString LS = new SerializedString("\\u2028");
    private static final SerializableString PS = new SerializedString("\\u2029");

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch < 128) {
            return CUSTOM[ch];
        }
        if (ch == 0x2028) {
            return LS;
        }
        if (ch == 0x2029) {
            return PS;
        }
        return null;
    }
}
