package org.infrakit.spi;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Tag maps as the protocol writes them: keys sorted in UTF-8 byte order, which is the order the
 * reference emits maps in.
 */
public final class Tags {
    /** Orders strings by Unicode code point, which is the same as ordering their UTF-8 bytes. */
    public static final Comparator<String> UTF8_ORDER = Tags::compareCodePoints;

    private Tags() {
    }

    /**
     * @param tags a tag map, or {@code null}
     * @return an unmodifiable copy sorted in UTF-8 order, or {@code null} for {@code null}
     */
    public static SortedMap<String, String> sorted(Map<String, String> tags) {
        if (tags == null) {
            return null;
        }
        TreeMap<String, String> copy = new TreeMap<>(UTF8_ORDER);
        copy.putAll(tags);
        return Collections.unmodifiableSortedMap(copy);
    }

    /**
     * @param tags the tags of an instance, or {@code null}
     * @param filter the pairs that must all be present, or {@code null}
     * @return whether every pair of the filter is in the tags; a missing key counts as {@code ""},
     *     as the reference's file plugin does
     */
    public static boolean matches(Map<String, String> tags, Map<String, String> filter) {
        if (filter == null) {
            return true;
        }
        for (Map.Entry<String, String> e : filter.entrySet()) {
            String have = tags == null ? null : tags.get(e.getKey());
            if (!(have == null ? "" : have).equals(e.getValue() == null ? "" : e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
