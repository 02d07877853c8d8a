package org.infrakit.flavor.vanilla.impl;

import org.infrakit.spi.RawJson;

/** Names the kind of a JSON value for error messages. */
final class JsonKinds {
    private JsonKinds() {
    }

    /**
     * @param value a non-null JSON value
     * @return {@code an object}, {@code an array}, {@code a string}, {@code a number} or {@code a boolean}
     */
    static String of(RawJson value) {
        char c = value.json().charAt(0);
        return switch (c) {
            case '{' -> "an object";
            case '[' -> "an array";
            case '"' -> "a string";
            case 't', 'f' -> "a boolean";
            default -> "a number";
        };
    }
}
