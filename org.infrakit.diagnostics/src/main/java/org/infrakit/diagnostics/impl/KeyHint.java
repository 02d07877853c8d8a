package org.infrakit.diagnostics.impl;

import java.util.Collection;
import java.util.Locale;

/**
 * The valid key an unknown configuration key was most likely meant to be. The commonest mistake
 * is an attribute written as the Java member it comes from ({@code poll_interval}) instead of
 * its configuration key ({@code poll.interval}, as Declarative Services maps {@code _} to
 * {@code .}); then come a wrong case or separator and small typos.
 */
final class KeyHint {
    private KeyHint() {
    }

    /**
     * @param key the unknown key
     * @param known the valid keys
     * @return the valid key meant, or {@code null} when none is close enough to suggest
     */
    static String nearest(String key, Collection<String> known) {
        String dotted = key.replace('_', '.');
        if (known.contains(dotted)) {
            return dotted;
        }
        String k = normal(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(k, normal(candidate));
            if (d < bestDistance || d == bestDistance && best != null && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = d;
            }
        }
        // one edit in four characters, at least two: beyond that a suggestion is more often wrong than right
        int allowed = Math.max(2, k.length() / 4);
        return bestDistance <= allowed ? best : null;
    }

    /** Lower case, with {@code _} and {@code -} read as {@code .}. */
    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }

    /** The Levenshtein distance: insertions, deletions and substitutions of one character each. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
