package org.infrakit.rpc.impl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceException;

/**
 * End to end against a plugin that is a separate operating-system process written in another
 * language (Python 3, standard library only): imported, called through the proxy, killed
 * (unregistered), restarted (imported again).
 */
class ForeignProcessImportTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private Path dir;
    private final PluginImporterTest.Services services = new PluginImporterTest.Services();
    private PluginImporter importer;
    private Process plugin;

    @BeforeEach
    void setUp() {
        assumeTrue(Files.isExecutable(PYTHON), "python3 is installed");
        dir = TestDirs.shortTempDir();
        importer = new PluginImporter(dir, services, new PluginImporter.Settings(3000, 2000, 60_000, false), "us",
                name -> false);
    }

    @AfterEach
    void tearDown() {
        if (plugin != null) {
            plugin.destroyForcibly();
        }
        if (importer != null) {
            importer.close();
        }
        TestDirs.deleteTree(dir);
    }

    private Process startPlugin() throws Exception {
        Path script = Path.of(getClass().getResource("/foreign_plugin.py").toURI());
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), dir.resolve("instance-py").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        return p;
    }

    @Test
    void aPythonPluginIsImportedCalledDroppedAndImportedAgain() throws Exception {
        plugin = startPlugin();
        importer.scan();
        assertThat(services.live).singleElement().satisfies(s -> assertThat(s.properties())
                .containsEntry(PluginProperties.NAME, "instance-py").containsEntry(PluginProperties.IMPORTED, true));
        InstancePlugin proxy = (InstancePlugin) services.live.get(0).proxy();
        String id = proxy.provision(InstanceSpec.of(null, Map.of("tier", "web"), "", null, null));
        assertThat(id).isEqualTo("py-" + plugin.pid() + "-1");
        assertThat(proxy.describeInstances(Map.of(), false))
                .containsExactly(InstanceDescription.of(id, null, Map.of("tier", "web"), null));
        assertThatThrownBy(() -> proxy.destroy("nope", DestroyContext.TERMINATING)).isInstanceOf(PluginException.class)
                .hasMessage("no such instance: nope");

        // kill -9: the socket file stays behind, nobody answers
        plugin.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> proxy.describeInstances(Map.of(), false)).isInstanceOf(ServiceException.class)
                .hasMessageContaining(dir.resolve("instance-py").toString());
        importer.scan();
        assertThat(services.live).isEmpty();
        assertThat(importer.notImported()).singleElement().satisfies(p -> assertThat(p.reason()).startsWith("not answering"));

        plugin = startPlugin();
        importer.scan();
        assertThat(services.live).hasSize(1);
        InstancePlugin again = (InstancePlugin) services.live.get(0).proxy();
        assertThat(again.provision(InstanceSpec.of(null, null, "", null, null))).isEqualTo("py-" + plugin.pid() + "-1");
    }
}
