package org.infrakit.rpc.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Go's duration syntax ({@code time.ParseDuration}): {@code 300ms}, {@code 1.5s}, {@code 1h2m}, {@code -2us}. */
public final class GoDuration {
    private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L,
            "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * @param text a Go duration
     * @return the duration
     * @throws IllegalArgumentException when the text is not one
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        String s = text;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
            if (unit == null) {
                throw new IllegalArgumentException(unitStart == i ? "time: missing unit in duration \"" + text + "\""
                        : "time: unknown unit \"" + s.substring(unitStart, i) + "\" in duration \"" + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(number.startsWith(".") ? "0" + number : number)
                    .multiply(BigDecimal.valueOf(unit)));
        }
        long n = nanos.longValue();
        return Duration.ofNanos(negative ? -n : n);
    }

    /**
     * The per-call timeout of clients: an explicit configuration wins, else
     * {@code INFRAKIT_CLIENT_TIMEOUT} (as the reference's clients read it), else the default.
     *
     * @param configuredMs the configured timeout; {@code null} or 0 when none was configured
     * @param env the environment
     * @param defaultMs the fallback
     * @return the timeout in milliseconds, at least 1
     */
    public static long clientTimeoutMs(Long configuredMs, Map<String, String> env, long defaultMs) {
        if (configuredMs != null && configuredMs > 0) {
            return configuredMs;
        }
        String fromEnv = env.get("INFRAKIT_CLIENT_TIMEOUT");
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                long ms = parse(fromEnv.strip()).toMillis();
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
