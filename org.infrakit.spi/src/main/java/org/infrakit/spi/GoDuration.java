package org.infrakit.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Go's duration syntax ({@code time.ParseDuration}): a sequence of decimal numbers, each with an
 * optional fraction and a unit, e.g. {@code 10s}, {@code 500ms}, {@code 1m30s}, {@code 1.5h}.
 * Units: {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}. A lone
 * {@code 0} needs no unit. This is the syntax of the reference's {@code --poll-interval} flag.
 */
public final class GoDuration {
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * @param text the duration text
     * @return the duration; may be zero or negative
     * @throws IllegalArgumentException with Go's message ({@code time: invalid duration "x"}) when
     *     the text is not a duration
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("time: invalid duration \"\"");
        }
        String s = text;
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == s.length()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            int intEnd = i;
            int fracEnd = i;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                    i++;
                }
                fracEnd = i;
            }
            String number = s.substring(start, fracEnd);
            boolean hasDigits = intEnd > start || fracEnd > intEnd + 1;
            if (!hasDigits) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(Character.isDigit(s.charAt(i)) && s.charAt(i) < 128)) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            }
            long nanosPerUnit = switch (unit) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException(
                        "time: unknown unit " + quote(unit) + " in duration " + quote(text));
            };
            String normalized = number.endsWith(".") ? number.substring(0, number.length() - 1) : number;
            if (normalized.startsWith(".")) {
                normalized = "0" + normalized;
            }
            total = total.add(new BigDecimal(normalized).multiply(BigDecimal.valueOf(nanosPerUnit)));
        }
        BigInteger nanos = total.toBigInteger();
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw invalid(text);
        }
        long n = nanos.longValueExact();
        return Duration.ofNanos(negative ? -n : n);
    }

    /**
     * Writes a duration as Go's {@code Duration.String} does, e.g. {@code 1m30s}, {@code 500ms}.
     *
     * @param d the duration
     * @return the text
     */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long n = Math.abs(nanos);
        if (n < 1_000L) {
            return sign + n + "ns";
        }
        if (n < 1_000_000L) {
            return sign + trim(BigDecimal.valueOf(n, 3)) + "\u00b5s";
        }
        if (n < 1_000_000_000L) {
            return sign + trim(BigDecimal.valueOf(n, 6)) + "ms";
        }
        long hours = n / 3_600_000_000_000L;
        long rest = n % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        rest = rest % 60_000_000_000L;
        StringBuilder b = new StringBuilder(sign);
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            b.append(minutes).append('m');
        }
        b.append(trim(BigDecimal.valueOf(rest, 9))).append('s');
        return b.toString();
    }

    private static String trim(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
