package org.infrakit.itest;

import static org.infrakit.itest.ItBundles.bundleOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** The SPI bundle resolves against the Jackson bundles alone and exports its API, and only its API, at a semantic version. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SpiBundleIT {

    private static final String SPI = "org.infrakit.spi";
    private static final List<String> API_PACKAGES = List.of(SPI);
    private static final Version API_1 = new Version(1, 0, 0);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(
                bundleOf("jackson-annotations"),
                bundleOf("jackson-core"),
                bundleOf("jackson-databind"),
                bundleOf(SPI),
                junitBundles(),
                cleanCaches());
    }

    @Test
    public void spiBundleIsActive() {
        assertEquals("state of " + SPI, Bundle.ACTIVE, spiBundle().getState());
    }

    @Test
    public void exportsTheApiPackagesAtVersionOneOrLater() {
        Map<String, Version> exports = exportedPackages(spiBundle());
        // the wire records and the protocol's mapper live in org.infrakit.rpc; RawJson's codec is private
        assertEquals("exported packages", API_PACKAGES.stream().sorted().collect(Collectors.toList()),
                exports.keySet().stream().sorted().collect(Collectors.toList()));

        for (String pkg : API_PACKAGES) {
            Version version = exports.get(pkg);
            assertNotNull(pkg + " is not exported; exports: " + exports, version);
            assertTrue(pkg + " is exported at " + version + ", expected >= " + API_1, version.compareTo(API_1) >= 0);
        }
    }

    @Test
    public void importsJacksonFromTheJacksonBundles() {
        List<String> providers = wiringOf(spiBundle())
                .getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(w -> packageName(w.getCapability()).startsWith("com.fasterxml.jackson."))
                .map(BundleWire::getProvider)
                .map(BundleRevision::getSymbolicName)
                .distinct()
                .sorted()
                .collect(Collectors.toList());

        assertTrue("Jackson packages wired from " + providers,
                !providers.isEmpty() && providers.stream().allMatch(p -> p.startsWith("com.fasterxml.jackson.core.")));
    }

    private Bundle spiBundle() {
        return Arrays.stream(context.getBundles())
                .filter(b -> SPI.equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(SPI + " is not installed"));
    }

    private static BundleWiring wiringOf(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        assertNotNull(bundle.getSymbolicName() + " is not resolved", wiring);
        return wiring;
    }

    private static Map<String, Version> exportedPackages(Bundle bundle) {
        return wiringOf(bundle).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .collect(Collectors.toMap(
                        SpiBundleIT::packageName,
                        c -> (Version) c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE)));
    }

    private static String packageName(BundleCapability capability) {
        return (String) capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
    }
}
