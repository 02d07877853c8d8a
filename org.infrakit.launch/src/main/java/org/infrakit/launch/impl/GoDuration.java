package org.infrakit.launch.impl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them: a sequence of decimal
 * numbers, each with an optional fraction and a unit ({@code ns}, {@code us}/{@code µs},
 * {@code ms}, {@code s}, {@code m}, {@code h}), optionally signed: {@code 500ms}, {@code 10s},
 * {@code 1m30s}, {@code 1.5h}. A bare {@code 0} is accepted; any other number needs a unit.
 */
final class GoDuration {
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * @param text the duration text
     * @return the duration
     * @throws IllegalArgumentException naming the text, when it is not a Go duration
     */
    static Duration parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw invalid(text);
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == s.length()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = unitNanos(s.substring(unitStart, i), text);
            nanos = nanos.add(new BigDecimal(number.startsWith(".") ? "0" + number : number)
                    .multiply(BigDecimal.valueOf(unit)));
        }
        BigInteger whole = nanos.toBigInteger();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long");
        }
        Duration d = Duration.ofNanos(whole.longValueExact());
        return negative ? d.negated() : d;
    }

    private static long unitNanos(String unit, String text) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw invalid(text);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text
                + "\" (write it like 500ms, 10s, 1m30s or 1h)");
    }

    /**
     * @param d a duration
     * @return a short Go-style spelling for messages: {@code 250ms}, {@code 10s}, {@code 1m30s}
     */
    static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = d.toNanos();
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + "ms";
            }
            return nanos % 1_000 == 0 ? nanos / 1_000 + "\u00b5s" : nanos + "ns";
        }
        StringBuilder b = new StringBuilder();
        long hours = d.toHours();
        if (hours > 0) {
            b.append(hours).append('h');
        }
        int minutes = d.toMinutesPart();
        if (hours > 0 || minutes > 0) {
            b.append(minutes).append('m');
        }
        int seconds = d.toSecondsPart();
        int millis = d.toMillisPart();
        b.append(seconds);
        if (millis > 0) {
            b.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
        }
        return b.append('s').toString();
    }
}
