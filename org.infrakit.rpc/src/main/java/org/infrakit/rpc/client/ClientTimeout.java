package org.infrakit.rpc.client;

import java.util.Map;

import org.infrakit.spi.GoDuration;

/** The per-call timeout of plugin clients. */
public final class ClientTimeout {
    /** The environment variable the reference's clients read: a Go duration such as {@code 30s}. */
    public static final String ENV = "INFRAKIT_CLIENT_TIMEOUT";

    private ClientTimeout() {
    }

    /**
     * An explicit configuration wins, else {@value #ENV} (as the reference's clients read it), else
     * the default.
     *
     * @param configuredMs the configured timeout; {@code null} or 0 when none was configured
     * @param env the environment
     * @param defaultMs the fallback
     * @return the timeout in milliseconds, at least 1
     */
    public static long millis(Long configuredMs, Map<String, String> env, long defaultMs) {
        if (configuredMs != null && configuredMs > 0) {
            return configuredMs;
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                long ms = GoDuration.parse(fromEnv.strip()).toMillis();
                if (ms > 0) {
                    return ms;
                }
            } catch (IllegalArgumentException e) {
                // unparsable: the default, as the reference does
            }
        }
        return Math.max(1, defaultMs);
    }
}
