package org.infrakit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

import org.infrakit.conformance.CheckResult.Status;
import org.infrakit.conformance.impl.ConformanceCommand;
import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.group.impl.EngineOptions;
import org.infrakit.group.impl.ExecutorScheduler;
import org.infrakit.group.impl.GroupEngine;
import org.infrakit.group.impl.PluginLookup;
import org.infrakit.instance.file.impl.FileInstancePlugin;
import org.infrakit.rpc.BridgeStatus;
import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.ImportedPlugin;
import org.infrakit.rpc.PluginProblem;
import org.infrakit.rpc.client.UnixHttpClient;
import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.rpc.json.ProtocolJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The kit against real plugins on real sockets: the runtime's three default plugins served by the
 * bridge's socket server in this JVM, the Python example and a deliberately broken Python plugin
 * as processes.
 */
class ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path dir;
    private static Path instances;
    private static ServerThreads threads;
    private static ScheduledExecutorService timers;
    private static ExecutorService workers;
    private static GroupEngine engine;
    private static final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeAll
    static void serve() throws Exception {
        // unix socket paths are short: a directory right under /tmp
        root = Files.createTempDirectory(Path.of("/tmp"), "ikconf");
        dir = Files.createDirectory(root.resolve("p"));
        instances = Files.createDirectory(root.resolve("i"));
        threads = new ServerThreads("conformance-test");
        timers = Executors.newSingleThreadScheduledExecutor();
        workers = Executors.newCachedThreadPool();
        FileInstancePlugin files = new FileInstancePlugin("instance-file", instances);
        VanillaFlavor vanilla = new VanillaFlavor();
        engine = new GroupEngine(PluginLookup.of(Map.of("instance-file", files), Map.of("flavor-vanilla", vanilla)),
                new ExecutorScheduler(timers), workers, EngineOptions.withPollInterval(Duration.ofMillis(500)), null);
        engine.start();
        serve("group", PluginObjects.ofGroup(engine));
        serve("instance-file", PluginObjects.of(null, Map.of("", files), null));
        serve("flavor-vanilla", PluginObjects.of(null, null, Map.of("", vanilla)));
    }

    private static void serve(String name, PluginObjects objects) throws IOException {
        servers.add(PluginSocketServer.start(name, dir, objects, ServerSettings.DEFAULTS, "conformance-test", threads));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        engine.close();
        threads.close();
        timers.shutdownNow();
        workers.shutdownNow();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Report check(String name, Options options) {
        Report r = Conformance.check(dir.resolve(name), options);
        System.out.print("--- " + name + " (" + options.profile().word() + ")\n" + r.text());
        return r;
    }

    private static List<String> names(Report r, Status status) {
        return r.checks().stream().filter(c -> c.status() == status).map(CheckResult::name).toList();
    }

    @Test
    void theFileInstancePluginConforms() throws IOException {
        Report r = check("instance-file", Options.DEFAULTS);

        assertThat(names(r, Status.FAIL)).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(names(r, Status.PASS)).contains("handshake.Handshake.Implements", "handshake.Plugin.Implements",
                "envelope.batch", "envelope.malformed", "http.get-root", "instance.DescribeInstances.tag-filter",
                "instance.Label.merges", "instance.Destroy.missing", "instance.Destroy");
        // nothing left behind
        try (Stream<Path> left = Files.list(instances)) {
            assertThat(left).isEmpty();
        }
        assertThat(r.text()).endsWith("\n" + r.passed() + " passed, 0 failed\n");
    }

    @Test
    void theVanillaFlavorConformsWithItsOwnVectors() {
        Report r = check("flavor-vanilla", Options.DEFAULTS);

        assertThat(names(r, Status.FAIL)).isEmpty();
        assertThat(names(r, Status.PASS)).contains("flavor.Prepare.merge", "flavor.Prepare.html-escape",
                "flavor.Prepare.keeps-group-identity", "flavor.Healthy", "flavor.Drain");
    }

    @Test
    void theGroupPluginConformsAndIsLeftAsItWas() throws Exception {
        Report r = check("group", Options.DEFAULTS);

        assertThat(names(r, Status.FAIL)).isEmpty();
        assertThat(names(r, Status.SKIP)).isEmpty();
        assertThat(names(r, Status.PASS)).contains("envelope.params-type-error", "group.InspectGroups.empty",
                "group.DescribeGroup.not-watched", "group.CommitGroup.pretend-changes-nothing", "group.CommitGroup",
                "group.DescribeGroup.converges", "group.DestroyGroup.leaves-nothing");
        assertThat(engine.inspectGroups()).isEmpty();
        try (Stream<Path> left = Files.list(instances)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void writesToABusyGroupPluginAreRefusedUnlessAllowed() throws Exception {
        Path workDir = Files.createDirectory(root.resolve("busy"));
        Path plugins = Files.createDirectory(workDir.resolve("p"));
        FileInstancePlugin files = new FileInstancePlugin("instance-file", Files.createDirectory(workDir.resolve("i")));
        VanillaFlavor vanilla = new VanillaFlavor();
        try (GroupEngine busy = new GroupEngine(PluginLookup.of(Map.of("instance-file", files),
                Map.of("flavor-vanilla", vanilla)), new ExecutorScheduler(timers), workers,
                EngineOptions.withPollInterval(Duration.ofMillis(500)), null);
                PluginSocketServer g = PluginSocketServer.start("group", plugins, PluginObjects.ofGroup(busy),
                        ServerSettings.DEFAULTS, "busy", threads);
                PluginSocketServer i = PluginSocketServer.start("instance-file", plugins,
                        PluginObjects.of(null, Map.of("", files), null), ServerSettings.DEFAULTS, "busy", threads);
                PluginSocketServer f = PluginSocketServer.start("flavor-vanilla", plugins,
                        PluginObjects.of(null, null, Map.of("", vanilla)), ServerSettings.DEFAULTS, "busy", threads)) {
            busy.start();
            busy.commitGroup(ProtocolJson.mapper().readValue("{\"ID\":\"keep\",\"Properties\":{\"Allocation\":{\"Size\":1},"
                    + "\"Instance\":{\"Plugin\":\"instance-file\",\"Properties\":{}},"
                    + "\"Flavor\":{\"Plugin\":\"flavor-vanilla\",\"Properties\":{}}}}",
                    org.infrakit.spi.GroupSpec.class), false);

            Report refused = Conformance.check(plugins.resolve("group"), Options.DEFAULTS);
            System.out.print(refused.text());
            assertThat(names(refused, Status.FAIL)).isEmpty();
            assertThat(names(refused, Status.SKIP)).contains("group.CommitGroup", "group.DestroyGroup.ok");
            assertThat(refused.checks()).filteredOn(c -> c.name().equals("group.CommitGroup")).first()
                    .extracting(CheckResult::actual).asString().contains("[keep]", "--allow-writes");
            assertThat(refused.text()).containsPattern("\\n\\d+ passed, 0 failed, \\d+ skipped\\n$");
            assertThat(refused.exitCode()).isZero();

            Report allowed = Conformance.check(plugins.resolve("group"), Options.DEFAULTS.withAllowWrites(true));
            assertThat(names(allowed, Status.FAIL)).isEmpty();
            assertThat(names(allowed, Status.PASS)).contains("group.DescribeGroup.converges");
            assertThat(busy.inspectGroups()).extracting(org.infrakit.spi.GroupSpec::id).containsExactly("keep");
        }
    }

    @Test
    void the2017ProfileExpectsTheReferenceWireRules() {
        // this project departs from the reference on purpose (docs/departures.md): those checks fail
        Report r = check("group", Options.DEFAULTS.withProfile(Profile.REFERENCE_2017));

        assertThat(names(r, Status.FAIL)).contains("handshake.Plugin.Implements", "envelope.unknown-method",
                "envelope.malformed", "envelope.batch", "envelope.null-id", "envelope.params-type-error")
                .doesNotContain("envelope.string-id", "group.DescribeGroup.not-watched");
        assertThat(r.checks()).filteredOn(c -> c.name().equals("envelope.unknown-method")).first().extracting(
                CheckResult::line).asString().contains("-32000", "-32601");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void thePythonExampleConforms() throws Exception {
        Path script = Path.of(System.getProperty("python.example", "../examples/python/instance_plugin.py"));
        try (PythonPlugin p = PythonPlugin.start(script, dir.resolve("instance-py"), root.resolve("py.log"),
                "--name", "instance-py", "--plugins-dir", dir.toString())) {
            Report r = check("instance-py", Options.DEFAULTS);

            assertThat(names(r, Status.FAIL)).isEmpty();
            assertThat(names(r, Status.PASS)).contains("instance.Label.merges", "envelope.batch", "http.unknown-path");
            JsonNode json = JSON.readTree(r.json());
            assertThat(json.path("failed").asInt()).isZero();
            assertThat(json.path("checks")).hasSize(r.checks().size());
        }
    }

    @Test
    void aBrokenPluginFailsAndEachFaultIsNamed() throws Exception {
        Path script = Path.of(ConformanceTest.class.getResource("broken_instance_plugin.py").toURI());
        try (PythonPlugin p = PythonPlugin.start(script, dir.resolve("broken"), root.resolve("broken.log"),
                dir.resolve("broken").toString())) {
            Report r = check("broken", Options.DEFAULTS);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(names(r, Status.FAIL)).containsExactlyInAnyOrder("handshake.Handshake.Implements",
                    "handshake.Handshake.Types", "envelope.unknown-method", "envelope.ill-formed-method",
                    "instance.DescribeInstances.tag-filter");
            assertThat(r.text()).contains("FAIL envelope.unknown-method: expected ")
                    .containsPattern("\\n\\d+ passed, 5 failed\\n$");
            // the instances it provisioned were destroyed all the same
            assertThat(r.checks()).extracting(CheckResult::name).doesNotContain("instance.nothing-left");
            JsonNode json = JSON.readTree(r.json());
            assertThat(json.path("failed").asInt()).isEqualTo(5);
            JsonNode failed = json.path("checks").findParents("status").stream()
                    .filter(c -> c.path("status").asText().equals("FAIL")).findFirst().orElseThrow();
            assertThat(failed.path("expected").asText()).isNotEmpty();
            assertThat(failed.path("actual").asText()).isNotEmpty();
        }
    }

    @Test
    void whatAFailedCheckLeftIsDestroyedAtTheEnd() throws Exception {
        Path script = Path.of(ConformanceTest.class.getResource("broken_instance_plugin.py").toURI());
        Path socket = dir.resolve("sticky");
        try (PythonPlugin p = PythonPlugin.start(script, socket, root.resolve("sticky.log"), socket.toString(),
                "--sticky")) {
            Report r = check("sticky", Options.DEFAULTS);

            // the first Destroy answered OK but kept the instances: the check fails, the kit cleans up
            assertThat(names(r, Status.FAIL)).contains("instance.Destroy");
            assertThat(names(r, Status.PASS)).contains("instance.nothing-left");
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            try (UnixHttpClient http = new UnixHttpClient(socket, timer, 1)) {
                // this plugin ignores tag filters: the answer is every instance it has
                String all = http.post(("{\"jsonrpc\":\"2.0\",\"method\":\"Instance.DescribeInstances\","
                        + "\"params\":{\"Tags\":{}},\"id\":1}").getBytes(StandardCharsets.UTF_8), 5000).text();
                assertThat(JSON.readTree(all).path("result").path("Descriptions")).isEmpty();
            } finally {
                timer.shutdownNow();
            }
        }
    }

    @Test
    void theGogoCommandChecksASocketOfTheBridgesDirectory() throws Exception {
        ConformanceCommand command = new ConformanceCommand(new BridgeStatus() {
            @Override
            public Path pluginsDir() {
                return dir;
            }

            @Override
            public List<ExportedPlugin> exported() {
                return List.of();
            }

            @Override
            public List<PluginProblem> notExported() {
                return List.of();
            }

            @Override
            public List<ImportedPlugin> imported() {
                return List.of();
            }

            @Override
            public List<PluginProblem> notImported() {
                return List.of();
            }
        });

        assertThat(command.conformance("flavor-vanilla")).contains("PASS flavor.Drain\n").endsWith(" passed, 0 failed\n");
        assertThat(JSON.readTree(command.conformance("flavor-vanilla", "-o", "json")).path("ok").asBoolean()).isTrue();
        assertThat(command.conformance("nobody")).isEqualTo("error: no plugin 'nobody' in " + dir);
        assertThat(command.conformance("flavor-vanilla", "--bogus")).startsWith("error: unknown option '--bogus'");
        assertThat(command.conformance("--help")).startsWith("Usage: infrakit:conformance NAME");
    }

    @Test
    void aSocketThatIsNotThereFailsTheHandshakeAndNothingElseRuns() {
        Report r = Conformance.check(dir.resolve("nobody"), Options.DEFAULTS);

        assertThat(names(r, Status.PASS)).isEmpty();
        assertThat(names(r, Status.FAIL)).contains("handshake.Handshake.Implements");
        assertThat(names(r, Status.SKIP)).containsExactly("interfaces");
        assertThat(r.exitCode()).isEqualTo(1);
    }
}
