package org.infrakit.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An instance's health as a flavor judges it; on the wire an integer.
 */
public enum Health {
    /** {@code 0}: cannot tell (yet). */
    UNKNOWN(0),
    /** {@code 1}: healthy. */
    HEALTHY(1),
    /** {@code 2}: unhealthy. */
    UNHEALTHY(2);

    private final int code;

    Health(int code) {
        this.code = code;
    }

    /** @return the wire code */
    @JsonValue
    public int code() {
        return code;
    }

    /**
     * @param code a wire code
     * @return the health; codes other than 1 and 2 are {@link #UNKNOWN}
     */
    @JsonCreator
    public static Health of(int code) {
        return switch (code) {
            case 1 -> HEALTHY;
            case 2 -> UNHEALTHY;
            default -> UNKNOWN;
        };
    }
}
