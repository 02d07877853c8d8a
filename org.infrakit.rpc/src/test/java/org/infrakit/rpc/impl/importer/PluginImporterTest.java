package org.infrakit.rpc.impl.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.infrakit.rpc.ImportedPlugin;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.rpc.impl.server.PeerPolicy;
import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.rpc.impl.testing.FakeGroupPlugin;
import org.infrakit.rpc.impl.testing.ForeignPluginServer;
import org.infrakit.rpc.impl.testing.LogCapture;
import org.infrakit.rpc.impl.testing.TestDirs;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceException;

/** The importer against foreign servers that are not this runtime's exporter. */
class PluginImporterTest {
    private static final String RUNTIME = "our-runtime";
    private static final String GROUP_API = "{\"APIs\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]}";

    /** Registered services, as a framework would hold them. */
    static final class Services implements PluginImporter.Registrar {
        record Service(PluginKind kind, Object proxy, Map<String, Object> properties) {
        }

        final List<Service> live = new CopyOnWriteArrayList<>();

        @Override
        public PluginImporter.Registration register(PluginKind kind, Object service, Map<String, Object> properties) {
            assertThat(kind.type().isInstance(service)).isTrue();
            Service s = new Service(kind, service, Map.copyOf(properties));
            live.add(s);
            return () -> live.remove(s);
        }

        List<Service> named(String name) {
            return live.stream().filter(s -> name.equals(s.properties().get(PluginProperties.NAME))).toList();
        }
    }

    private Path dir;
    private final Services services = new Services();
    private final Set<String> exported = ConcurrentHashMap.newKeySet();
    private PluginImporter importer;

    @BeforeEach
    void setUp() {
        dir = TestDirs.shortTempDir();
        importer = new PluginImporter(dir, services, new PluginImporter.Settings(2000, 1000, 60_000, false), RUNTIME,
                exported::contains);
    }

    @AfterEach
    void tearDown() {
        importer.close();
        TestDirs.deleteTree(dir);
    }

    private ForeignPluginServer foreignGroup(String name) throws IOException {
        return new ForeignPluginServer(dir.resolve(name)).result("Handshake.Implements", GROUP_API)
                .result("Handshake.Types", "{\"Types\":{\"Group/0.1.0\":[\".\"]}}")
                .result("Group.InspectGroups", "{\"Groups\":[{\"ID\":\"remote\",\"Properties\":{\"n\":1.0}}]}")
                .error("Group.CommitGroup", "{\"code\":-32000,\"message\":\"Group ID must not be blank\",\"data\":null}");
    }

    @Test
    void aForeignSocketIsImportedAndCallsReachIt() throws Exception {
        try (ForeignPluginServer go = foreignGroup("group")) {
            importer.scan();
            assertThat(services.live).singleElement().satisfies(s -> {
                assertThat(s.kind()).isEqualTo(PluginKind.GROUP);
                assertThat(s.properties()).containsEntry(PluginProperties.NAME, "group")
                        .containsEntry(PluginProperties.IMPORTED, true)
                        .containsEntry(PluginProperties.SOCKET, go.socket().toString())
                        .doesNotContainKey(PluginProperties.TYPE);
            });
            GroupPlugin proxy = (GroupPlugin) services.live.get(0).proxy();
            assertThat(proxy.inspectGroups()).extracting(GroupSpec::id).containsExactly("remote");
            assertThatThrownBy(() -> proxy.commitGroup(new GroupSpec("", null), false))
                    .isInstanceOf(PluginException.class).hasMessage("Group ID must not be blank");
            assertThat(importer.imported()).containsExactly(
                    new ImportedPlugin("group", go.socket(), List.of("Group/0.1.0"), List.of()));

            // rescans leave a healthy import alone
            importer.scan();
            assertThat(services.live).hasSize(1);
            assertThat(services.live.get(0).proxy()).isSameAs(proxy);
        }
    }

    @Test
    void aSocketOfAnotherUidIsNotImportedAndThatIsSaidOnce() throws Exception {
        importer.close();
        // the socket belongs to this process's uid (root, on some machines): seen from an importer
        // whose owners are another uid only, it is a foreign user's socket
        importer = new PluginImporter(dir, services, new PluginImporter.Settings(2000, 1000, 60_000, false), RUNTIME,
                exported::contains, new PeerPolicy(Set.of(4242424L)));
        try (ForeignPluginServer go = foreignGroup("group"); LogCapture log = new LogCapture(PluginImporter.class)) {
            importer.scan();
            importer.scan();
            importer.scan();
            assertThat(services.live).isEmpty();
            assertThat(go.methodsCalled()).as("not even probed").isEmpty();
            long uid = ((Number) Files.getAttribute(go.socket(), "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            assertThat(log.messages()).singleElement().asString().isEqualTo("Not importing plugin socket "
                    + go.socket() + ": it belongs to uid " + uid + ", and only sockets of uid 4242424 are imported");
            assertThat(importer.notImported()).singleElement().extracting(p -> p.name()).isEqualTo("group");
        }
    }

    @Test
    void typedObjectsBecomeOneServiceEach() throws Exception {
        try (ForeignPluginServer go = new ForeignPluginServer(dir.resolve("instance-aws"))) {
            go.result("Handshake.Implements", "{\"APIs\":[{\"Name\":\"Instance\",\"Version\":\"0.6.0\"}]}")
                    .result("Handshake.Types", "{\"Types\":{\"Instance/0.6.0\":[\".\",\"ec2-volume\"]}}")
                    .result("Instance.Provision", "{\"Type\":\"ec2-volume\",\"ID\":\"vol-1\"}");
            importer.scan();
            assertThat(services.live).hasSize(2);
            Services.Service typed = services.live.stream()
                    .filter(s -> "ec2-volume".equals(s.properties().get(PluginProperties.TYPE))).findFirst().orElseThrow();
            assertThat(((InstancePlugin) typed.proxy()).provision(null)).isEqualTo("vol-1");
            assertThat(importer.imported().get(0).interfaces()).containsExactly("Instance/0.6.0 [., ec2-volume]");
        }
    }

    @Test
    void ourOwnSocketsAreNeverImported() throws Exception {
        ServerThreads threads = new ServerThreads("own");
        try (PluginSocketServer own = PluginSocketServer.start("mine", dir, PluginObjects.ofGroup(new FakeGroupPlugin()),
                ServerSettings.DEFAULTS, RUNTIME, threads); ForeignPluginServer named = foreignGroup("exported")) {
            exported.add("exported");
            importer.scan();
            assertThat(services.live).isEmpty();
            assertThat(importer.imported()).isEmpty();
            assertThat(importer.notImported()).isEmpty();
            assertThat(named.methodsCalled()).as("an exported name is not even probed").isEmpty();
        } finally {
            threads.close();
        }
    }

    @Test
    void anInterfaceVersionWeDoNotSpeakIsRefusedWithOneLogLine() throws Exception {
        try (ForeignPluginServer old = new ForeignPluginServer(dir.resolve("instance-old"));
                LogCapture log = new LogCapture(PluginImporter.class)) {
            old.result("Handshake.Implements", "{\"APIs\":[{\"Name\":\"Instance\",\"Version\":\"0.5.0\"}]}");
            importer.scan();
            importer.scan();
            assertThat(services.live).isEmpty();
            assertThat(log.messages()).containsExactly("Not importing plugin socket " + old.socket()
                    + ": it speaks Instance/0.5.0; this runtime speaks Group/0.1.0, Instance/0.6.0, Flavor/0.1.0");
            assertThat(importer.notImported()).singleElement()
                    .satisfies(p -> assertThat(p.reason()).startsWith("speaks Instance/0.5.0"));
        }
    }

    @Test
    void whatWeSpeakIsImportedAndTheRestNamed() throws Exception {
        try (ForeignPluginServer go = new ForeignPluginServer(dir.resolve("group"));
                LogCapture log = new LogCapture(PluginImporter.class)) {
            go.result("Handshake.Implements",
                    "{\"APIs\":[{\"Name\":\"Metadata\",\"Version\":\"0.1.0\"},{\"Name\":\"Group\",\"Version\":\"0.1.0\"}]}");
            importer.scan();
            assertThat(services.live).singleElement().satisfies(s -> assertThat(s.kind()).isEqualTo(PluginKind.GROUP));
            assertThat(importer.imported().get(0).notSpoken()).containsExactly("Metadata/0.1.0");
            assertThat(log.messages()).singleElement().asString().contains("not imported: Metadata/0.1.0");
        }
    }

    @Test
    void theOldHandshakeIsUnderstood() throws Exception {
        try (ForeignPluginServer old = new ForeignPluginServer(dir.resolve("flavor-old"))) {
            old.result("Plugin.Implements", "{\"Interfaces\":[{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"}]}");
            importer.scan();
            assertThat(services.live).singleElement().satisfies(s -> assertThat(s.kind()).isEqualTo(PluginKind.FLAVOR));
        }
    }

    @Test
    void aSocketThatGoesAwayLosesItsServicesAndComesBack() throws Exception {
        ForeignPluginServer go = foreignGroup("group");
        importer.scan();
        GroupPlugin proxy = (GroupPlugin) services.live.get(0).proxy();
        go.close();
        importer.scan();
        assertThat(services.live).isEmpty();
        assertThat(importer.imported()).isEmpty();
        assertThatThrownBy(proxy::inspectGroups).isInstanceOf(ServiceException.class);

        try (ForeignPluginServer again = foreignGroup("group")) {
            importer.scan();
            assertThat(services.named("group")).hasSize(1);
        }
    }

    @Test
    void aCrashedPluginsStaleSocketIsUnregisteredAndReported() throws Exception {
        ForeignPluginServer go = foreignGroup("group");
        importer.scan();
        assertThat(services.live).hasSize(1);
        go.crash();
        importer.scan();
        assertThat(services.live).isEmpty();
        // Refused, or reset when a kept-alive connection of the first scan meets the dead server first:
        // both are "not answering", and the reason names the socket.
        assertThat(importer.notImported()).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("not answering: ").contains(go.socket().toString()));
        // the process is restarted: a new socket file on the same path
        java.nio.file.Files.delete(go.socket());
        try (ForeignPluginServer again = foreignGroup("group")) {
            importer.scan();
            assertThat(services.live).hasSize(1);
            assertThat(importer.notImported()).isEmpty();
        }
    }

    @Test
    void aHungPluginIsDroppedWithinTheProbeTimeout() throws Exception {
        try (ForeignPluginServer go = foreignGroup("group")) {
            importer.scan();
            assertThat(services.live).hasSize(1);
            go.mode(ForeignPluginServer.Mode.SILENT);
            long start = System.nanoTime();
            importer.scan();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
            assertThat(services.live).isEmpty();
            assertThat(importer.notImported().get(0).reason()).contains("did not answer Handshake.Implements within 1000 ms");
        }
    }

    @Test
    void aSocketAppearingIsImportedWithoutWaitingForTheNextPeriodicScan() throws Exception {
        importer.start();
        Thread.sleep(200);
        try (ForeignPluginServer go = foreignGroup("late")) {
            for (int i = 0; i < 100 && services.live.isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertThat(services.named("late")).hasSize(1);
        }
        // and its deletion is noticed just as fast
        for (int i = 0; i < 100 && !services.live.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(services.live).isEmpty();
    }

    @Test
    void closingUnregistersEverything() throws Exception {
        try (ForeignPluginServer a = foreignGroup("a"); ForeignPluginServer b = foreignGroup("b")) {
            importer.start();
            importer.scan();
            assertThat(services.live).hasSize(2);
            importer.close();
            assertThat(services.live).isEmpty();
            importer.scan();
            assertThat(services.live).as("nothing after close").isEmpty();
        }
    }
}
