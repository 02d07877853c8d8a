package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.infrakit.group.impl.EngineOptions;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The instance plugin fails or times out on one call in three for a while, in the middle of a
 * rolling update that also grows the group; once it behaves again the group converges with
 * nothing lost and nothing duplicated.
 */
class InstancePluginFaultsTest {
    static final EngineOptions FAST = new EngineOptions(Duration.ofMillis(200), Duration.ofMillis(100), 4, null);

    private java.nio.file.Path root;
    private PluginHost host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
        TempDirs.delete(root);
    }

    @Test
    void failingAndTimingOutCallsLoseAndDuplicateNothing() throws Exception {
        root = TempDirs.create();
        FaultyInstancePlugin[] faulty = new FaultyInstancePlugin[1];
        host = new PluginHost(root, ServerSettings.DEFAULTS, FAST, false, p -> faulty[0] = new FaultyInstancePlugin(p,
                3, 300));
        Convergence convergence = new Convergence(host.instanceDir, host.engine, "faults");
        GroupSpec v1 = Specs.cattle("faults", 6, PluginHost.INSTANCE, "v1");
        host.engine.commitGroup(v1, false);
        convergence.await(6, Specs.hash(v1), Duration.ofSeconds(30), Duration.ofMillis(300));

        faulty[0].on(true);
        GroupSpec v2 = Specs.cattle("faults", 8, PluginHost.INSTANCE, "v2");
        host.engine.commitGroup(v2, false);
        Poll.sleep(Scale.times(Duration.ofSeconds(4)).toMillis());
        faulty[0].on(false);

        assertThat(faulty[0].injected()).as("faults injected while the group was rolling").allSatisfy(
                (kind, n) -> assertThat(n).as("%s", kind).isPositive());
        convergence.await(8, Specs.hash(v2), Duration.ofSeconds(60), Duration.ofSeconds(1));
    }
}
