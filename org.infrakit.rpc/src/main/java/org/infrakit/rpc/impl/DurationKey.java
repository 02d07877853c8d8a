package org.infrakit.rpc.impl;

import java.time.Duration;

import org.infrakit.spi.GoDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A duration of the bridge's configuration: a Go duration under {@code key}, or, deprecated, a
 * number of milliseconds under {@code key.ms}. The new key wins when both are given; either way
 * the deprecated key is warned about once per activation, naming the new key.
 *
 * <p>SCR hands the component every key with its default, so "not given" is told by the defaults:
 * an empty text and {@link #NOT_GIVEN}.
 *
 * @param key the key as written in the configuration, e.g. {@code idle.timeout}
 * @param defaultValue the value when neither spelling is given
 */
record DurationKey(String key, Duration defaultValue) {
    /** The default of the deprecated millisecond keys: not given. */
    static final long NOT_GIVEN = Long.MIN_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(RpcBridge.class);

    /** @return the deprecated spelling, e.g. {@code idle.timeout.ms} */
    String legacyKey() {
        return key + ".ms";
    }

    /**
     * @param text the value of {@link #key()}; empty when not given
     * @param legacyMs the value of {@link #legacyKey()}; {@link #NOT_GIVEN} when not given
     * @return the value in milliseconds; may be zero or negative, the floors are the caller's
     * @throws IllegalArgumentException naming the key and the value when the duration does not parse
     */
    long millis(String text, long legacyMs) {
        boolean given = text != null && !text.isBlank();
        if (legacyMs != NOT_GIVEN) {
            if (given) {
                LOG.warn("Configuration {}: {} is deprecated and ignored, as {} is also given; remove it",
                        BridgeConfig.PID, legacyKey(), key);
            } else {
                LOG.warn("Configuration {}: {} is deprecated; write {} = {} instead", BridgeConfig.PID, legacyKey(),
                        key, GoDuration.format(Duration.ofMillis(legacyMs)));
                return legacyMs;
            }
        }
        if (!given) {
            return defaultValue.toMillis();
        }
        try {
            return GoDuration.parse(text.strip()).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + key + " \"" + text + "\": " + e.getMessage()
                    + " (a Go duration such as 10s, 500ms or 1m30s)");
        }
    }
}
