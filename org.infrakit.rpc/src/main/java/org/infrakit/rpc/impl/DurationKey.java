package org.infrakit.rpc.impl;

import java.time.Duration;
import java.util.Map;

import org.infrakit.spi.GoDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A duration of the bridge's configuration: a Go duration under {@code key}, or, deprecated, a
 * number of milliseconds under {@code key.ms}. The new key wins when both are given; either way
 * the deprecated key is warned about once per activation, naming the new key.
 *
 * @param key the key as written in the configuration, e.g. {@code idle.timeout}
 */
record DurationKey(String key) {
    private static final Logger LOG = LoggerFactory.getLogger(RpcBridge.class);

    /** @return the deprecated spelling, e.g. {@code idle.timeout.ms} */
    String legacyKey() {
        return key + ".ms";
    }

    /**
     * @param properties the configuration as given, to tell a given key from a default
     * @param text the value of {@link #key()} (its default when not given)
     * @param legacyMs the value of {@link #legacyKey()}
     * @return the value in milliseconds; may be zero or negative, the floors are the caller's
     * @throws IllegalArgumentException naming the key and the value when the duration does not parse
     */
    long millis(Map<String, ?> properties, String text, long legacyMs) {
        boolean given = properties.containsKey(key);
        if (properties.containsKey(legacyKey())) {
            if (given) {
                LOG.warn("Configuration {}: {} is deprecated and ignored, as {} is also given; remove it",
                        BridgeConfig.PID, legacyKey(), key);
            } else {
                LOG.warn("Configuration {}: {} is deprecated; write {} = {} instead", BridgeConfig.PID, legacyKey(),
                        key, GoDuration.format(Duration.ofMillis(legacyMs)));
                return legacyMs;
            }
        }
        try {
            return GoDuration.parse(text == null ? "" : text.strip()).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + key + " \"" + text + "\": " + e.getMessage()
                    + " (a Go duration such as 10s, 500ms or 1m30s)");
        }
    }
}
