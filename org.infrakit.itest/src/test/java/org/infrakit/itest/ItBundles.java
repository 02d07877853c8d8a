package org.infrakit.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.ops4j.pax.exam.Option;

/**
 * The bundle jars the build copied into {@code target/it-bundles} (system property {@code it.bundles}):
 * the freshly built reactor bundles and the runtime bundles, named {@code <artifactId>-<version>.jar}.
 */
final class ItBundles {

    private ItBundles() {
    }

    /** An install-and-start option for the bundle jar of the given Maven artifact id. */
    static Option bundleOf(String artifactId) {
        return bundle(jarOf(artifactId).toURI().toString());
    }

    static File jarOf(String artifactId) {
        String dir = System.getProperty("it.bundles");
        if (dir == null) {
            throw new IllegalStateException("system property it.bundles is not set (run the tests through Maven failsafe)");
        }
        String prefix = artifactId + "-";
        File[] all = new File(dir).listFiles();
        if (all == null) {
            throw new IllegalStateException("not a directory: " + dir);
        }
        // the version must follow the prefix directly: "jackson-core-" must not match "jackson-core-foo-1.0.jar"
        List<File> matches = Arrays.stream(all)
                .filter(f -> f.getName().startsWith(prefix)
                        && f.getName().endsWith(".jar")
                        && f.getName().length() > prefix.length()
                        && Character.isDigit(f.getName().charAt(prefix.length())))
                .collect(Collectors.toList());
        if (matches.size() != 1) {
            throw new IllegalStateException("expected exactly one jar for " + artifactId + " in " + dir + ", found " + matches);
        }
        return matches.get(0);
    }
}
