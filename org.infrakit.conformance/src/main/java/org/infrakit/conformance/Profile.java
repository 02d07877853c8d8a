package org.infrakit.conformance;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Whose wire rules a plugin is checked against. */
public enum Profile {
    /** This project's rules: the 2017 behaviour with the documented departures (docs/departures.md). */
    INFRAKIT("infrakit"),
    /** The 2017 reference's wire behaviour, so that the original Go plugins can be checked. */
    REFERENCE_2017("2017");

    private final String word;

    Profile(String word) {
        this.word = word;
    }

    /** @return how the profile is named on the command line and in reports */
    public String word() {
        return word;
    }

    /**
     * @param word {@code infrakit} or {@code 2017}
     * @return the profile
     * @throws IllegalArgumentException for any other word
     */
    public static Profile of(String word) {
        for (Profile p : values()) {
            if (p.word.equals(word.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + word + "' (one of: "
                + Arrays.stream(values()).map(Profile::word).collect(Collectors.joining(", ")) + ")");
    }
}
