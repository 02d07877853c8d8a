package org.infrakit.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.File;
import java.util.ArrayList;
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

    /** The SLF4J 2 API comes from the test class path, as it comes from -runpath in the runtime. */
    private static final String SLF4J = "2.0.20";

    /**
     * The bundles every plugin runtime needs: Jackson, DS, ConfigAdmin, Jetty, the SPI; and the
     * tests' own {@code org.infrakit.testsupport}, which the probe imports dynamically.
     */
    private static final List<String> RUNTIME = List.of(
            "jackson-annotations", "jackson-core", "jackson-databind",
            "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
            "org.apache.felix.scr", "org.apache.felix.configadmin",
            "jetty-util", "jetty-io", "jetty-http", "jetty-server", "jetty-unixdomain-server",
            "jetty-alpn-client", "jetty-client", "jetty-compression-common",
            "org.infrakit.spi", "org.infrakit.testsupport");

    /**
     * The options of a plugin runtime: the runtime bundles (started), then {@code more} (for
     * instance {@link #dormant} bundles that a test configures before it starts them).
     */
    static Option[] runtime(Option... more) {
        List<Option> all = new ArrayList<>();
        for (String artifactId : RUNTIME) {
            all.add(bundleOf(artifactId));
        }
        all.addAll(Arrays.asList(more));
        all.add(systemPackages("org.slf4j;version=" + SLF4J, "org.slf4j.spi;version=" + SLF4J,
                "org.slf4j.event;version=" + SLF4J, "org.slf4j.helpers;version=" + SLF4J));
        all.add(junitBundles());
        all.add(cleanCaches());
        return all.toArray(new Option[0]);
    }

    /**
     * An install-only option: the test configures the bundle's components through ConfigAdmin
     * and then starts it, so that it never runs with its defaults (which point at ~/.infrakit).
     */
    static Option dormant(String artifactId) {
        return bundle(jarOf(artifactId).toURI().toString()).start(false);
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
