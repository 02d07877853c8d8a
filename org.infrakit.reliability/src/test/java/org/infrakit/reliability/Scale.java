package org.infrakit.reliability;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How big the scenarios are: CI runs them at scale 1 (a few minutes in all on two cores); the long
 * version sets {@code -Dreliability.scale=N}, which multiplies every count of generated cases and
 * every load and fault duration by N.
 */
final class Scale {
    private Scale() {
    }

    /** @return the factor, at least 1 */
    static int factor() {
        return Math.max(1, Integer.getInteger("reliability.scale", 1));
    }

    /** @param n a count at scale 1 @return the count at this scale */
    static int times(int n) {
        return n * factor();
    }

    /** @param d a duration at scale 1 @return the duration at this scale */
    static Duration times(Duration d) {
        return d.multipliedBy(factor());
    }

    /** @return where reports go: the module's {@code target} folder under Maven */
    static Path outDir() {
        return Path.of(System.getProperty("reliability.out", "target"));
    }
}
