package org.infrakit.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.instance.file.impl.FileInstancePlugin;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bundles of the instance and flavor plugins are stopped and started again, several times,
 * while their group rolls and grows: as DS does it, the service is withdrawn (from the group
 * plugin's registry and from the exporter), the component deactivated (the plugin closed), then a
 * new component on the same directory registered. The group waits while they are gone and
 * resumes without losing or duplicating anything.
 */
class PluginBounceTest {
    private java.nio.file.Path root;
    private PluginHost host;
    private final List<FileInstancePlugin> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        started.forEach(FileInstancePlugin::close);
        if (host != null) {
            host.close();
        }
        TempDirs.delete(root);
    }

    @Test
    void stoppingAndStartingThePluginBundlesWhileTheGroupIsManagedLosesAndDuplicatesNothing() throws Exception {
        root = TempDirs.create();
        host = new PluginHost(root, ServerSettings.DEFAULTS, InstancePluginFaultsTest.FAST, false, p -> p);
        Convergence convergence = new Convergence(host.instanceDir, host.engine, "bounce");
        GroupSpec v1 = Specs.cattle("bounce", 5, PluginHost.INSTANCE, "v1");
        host.engine.commitGroup(v1, false);
        convergence.await(5, Specs.hash(v1), Duration.ofSeconds(30), Duration.ofMillis(300));

        GroupSpec v2 = Specs.cattle("bounce", 7, PluginHost.INSTANCE, "v2");
        host.engine.commitGroup(v2, false);
        InstancePlugin instance = host.instancePlugin;
        FlavorPlugin flavor = host.vanilla;
        for (int round = 0; round < Scale.times(4); round++) {
            Poll.sleep(150);
            // stop: unregister (the registry and the exporter see the service go), then deactivate
            host.registry.remove(InstancePlugin.class, instance);
            host.exporter.remove("instance-service");
            if (instance instanceof FileInstancePlugin f) {
                f.close();
            }
            if (round % 2 == 0) {
                host.registry.remove(FlavorPlugin.class, flavor);
                host.exporter.remove("flavor-service");
            }
            Poll.sleep(400); // longer than a poll interval: passes run without the plugins
            // start: a new component instance on the same directory
            FileInstancePlugin fresh = new FileInstancePlugin(PluginHost.INSTANCE, host.instanceDir);
            started.add(fresh);
            instance = fresh;
            if (round % 2 == 0) {
                flavor = new VanillaFlavor();
                host.registry.add(FlavorPlugin.class, flavor, Map.of(PluginProperties.NAME, PluginHost.FLAVOR));
                host.exporter.add("flavor-service", PluginKind.FLAVOR, flavor,
                        Map.of(PluginProperties.NAME, PluginHost.FLAVOR));
            }
            host.registry.add(InstancePlugin.class, instance, Map.of(PluginProperties.NAME, PluginHost.INSTANCE));
            host.exporter.add("instance-service", PluginKind.INSTANCE, instance,
                    Map.of(PluginProperties.NAME, PluginHost.INSTANCE));
        }
        convergence.await(7, Specs.hash(v2), Duration.ofSeconds(60), Duration.ofSeconds(1));
        Replies.assertServes(host.socket(PluginHost.INSTANCE));
        Replies.assertServes(host.socket(PluginHost.FLAVOR));
    }
}
