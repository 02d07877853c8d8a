package org.infrakit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.group.impl.EngineOptions;
import org.infrakit.group.impl.ExecutorScheduler;
import org.infrakit.group.impl.GroupEngine;
import org.infrakit.group.impl.PluginLookup;
import org.infrakit.instance.file.impl.FileInstancePlugin;
import org.infrakit.rpc.impl.server.PluginObjects;
import org.infrakit.rpc.impl.server.PluginSocketServer;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.rpc.impl.server.ServerThreads;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs {@code infrakit} as a real process ({@code java -jar target/infrakit-cli.jar}) against
 * plugins served in this JVM on real sockets by the runtime's own socket server: the file
 * instance plugin, the vanilla flavor and the group engine (each a plain object, no framework),
 * plus a typed instance object, a socket serving two kinds, two sockets in the manner of 2017 Go
 * plugins, and a stale socket file; in a second directory, two sockets that never answer (one not
 * at all, one only the handshake). The test methods run concurrently (failsafe configuration in the pom):
 * each works on its own groups and instances.
 */
class CliProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of(System.getProperty("infrakit.cli.jar", "target/infrakit-cli.jar"))
            .toAbsolutePath();

    private static Path root;
    private static Path dir;
    private static Path hung;
    private static Path work;
    private static Path instances;
    private static ServerThreads threads;
    private static ScheduledExecutorService timers;
    private static ExecutorService workers;
    private static GroupEngine engine;
    private static FileInstancePlugin files;
    private static final List<AutoCloseable> servers = new ArrayList<>();

    /** What a run of the client left. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        JsonNode json() throws IOException {
            assertThat(out).endsWith("\n");
            assertThat(out.strip()).doesNotContain("\n");
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void serve() throws Exception {
        assertThat(JAR).exists();
        // unix socket paths are short: a directory right under /tmp
        root = Files.createTempDirectory(Path.of("/tmp"), "ikc");
        dir = Files.createDirectory(root.resolve("p"));
        hung = Files.createDirectory(root.resolve("h"));
        work = Files.createDirectory(root.resolve("w"));
        instances = Files.createDirectory(root.resolve("i"));
        threads = new ServerThreads("cli-it");
        timers = Executors.newSingleThreadScheduledExecutor();
        workers = Executors.newCachedThreadPool();

        files = new FileInstancePlugin("instance-file", instances);
        VanillaFlavor vanilla = new VanillaFlavor();
        engine = new GroupEngine(PluginLookup.of(Map.of("instance-file", files), Map.of("flavor-vanilla", vanilla)),
                new ExecutorScheduler(timers), workers, EngineOptions.withPollInterval(Duration.ofSeconds(1)), null);
        engine.start();

        serve("group", PluginObjects.ofGroup(engine));
        serve("instance-file", PluginObjects.of(null, Map.of("", files), null));
        serve("flavor-vanilla", PluginObjects.of(null, null, Map.of("", vanilla)));
        serve("instance-aws", PluginObjects.of(null,
                Map.of("ec2", new FileInstancePlugin("instance-aws", Files.createDirectory(root.resolve("a")))), null));
        serve("mixed", PluginObjects.of(null,
                Map.of("", new FileInstancePlugin("mixed", Files.createDirectory(root.resolve("m")))),
                Map.of("", vanilla)));
        // a Go plugin of the documented generation: no Handshake.*, only Plugin.Implements
        servers.add(new GoStyleSocket(dir.resolve("instance-go"), Map.of(
                "Plugin.Implements", "{\"Interfaces\":[{\"Name\":\"Instance\",\"Version\":\"0.6.0\"}]}",
                "Instance.DescribeInstances", "{\"Descriptions\":[{\"ID\":\"go-1\",\"LogicalID\":null,"
                        + "\"Tags\":{\"tier\":\"web\",\"app\":\"x\"}}]}")));
        // a Go plugin of an interface version this client does not speak
        servers.add(new GoStyleSocket(dir.resolve("instance-old"), Map.of(
                "Handshake.Implements", "{\"APIs\":[{\"Name\":\"Instance\",\"Version\":\"0.5.0\"}]}")));
        // a socket file left behind by a killed process: nothing listens
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(dir.resolve("stale")));
        }
        Files.writeString(dir.resolve("stale.pid"), "12345"); // not a socket: not a plugin

        // accepts connections, reads the requests and never answers one
        servers.add(new GoStyleSocket(hung.resolve("silent"), Map.of(), method -> true));
        // answers the handshake, then hangs in every instance call
        servers.add(new GoStyleSocket(hung.resolve("stuck"), Map.of(
                "Plugin.Implements", "{\"Interfaces\":[{\"Name\":\"Instance\",\"Version\":\"0.6.0\"}]}"),
                method -> method.startsWith("Instance.")));
    }

    private static void serve(String name, PluginObjects objects) throws IOException {
        servers.add(PluginSocketServer.start(name, dir, objects, ServerSettings.DEFAULTS, "cli-it-runtime", threads));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (threads != null) {
            threads.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (root != null) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Run infrakit(String... args) throws Exception {
        return infrakitWith(Map.of("INFRAKIT_PLUGINS_DIR", dir.toString()), null, args);
    }

    private static Run infrakitWith(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived client: start fast
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("INFRAKIT_PLUGINS_DIR");
        pb.environment().remove("INFRAKIT_HOME");
        pb.environment().remove("INFRAKIT_CLIENT_TIMEOUT");
        pb.environment().putAll(env);
        return run(pb, stdin);
    }

    static Run run(ProcessBuilder pb, String stdin) throws Exception {
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("infrakit " + pb.command() + " did not end within 60 s");
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The instances of a group, asked of the plugin object itself (the tests run concurrently). */
    private static long members(String group) {
        try {
            return files.describeInstances(Map.of("infrakit.group", group), false).size();
        } catch (PluginException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertOneErrorLine(Run r, int code, String line) {
        assertThat(r.code()).as("exit code of %s", r).isEqualTo(code);
        assertThat(r.errLines()).as("stderr of %s", r).containsExactly(line);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void conformancePassesForAConformingPlugin() throws Exception {
        Run r = infrakit("conformance", "flavor-vanilla");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("PASS handshake.Plugin.Implements\n", "PASS envelope.batch\n",
                "PASS flavor.Prepare.merge\n").containsPattern("\n\\d+ passed, 0 failed\n$");
        assertThat(r.err()).isEmpty();

        JsonNode json = infrakit("conformance", "flavor-vanilla", "-o", "json").json();
        assertThat(json.path("failed").asInt()).isZero();
        assertThat(json.path("checks").get(0).path("name").asText()).isEqualTo("handshake.Handshake.Implements");
    }

    @Test
    void conformanceFailsAndNamesTheCheck() throws Exception {
        // a Go plugin of the documented generation: no Handshake.Implements, which this project requires
        Run r = infrakit("conformance", "instance-go");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL handshake.Handshake.Implements: expected ")
                .containsPattern("\n\\d+ passed, [1-9]\\d* failed(, \\d+ skipped)?\n$");
    }

    @Test
    void conformanceUsageAndMissingPlugin() throws Exception {
        assertThat(infrakit("conformance").code()).isEqualTo(2);
        assertThat(infrakit("conformance", "flavor-vanilla", "--profile", "1999").errLines())
                .containsExactly("unknown profile '1999' (one of: infrakit, 2017)");
        Run missing = infrakit("conformance", "nobody");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.errLines()).containsExactly("no plugin 'nobody' in " + dir);
        assertThat(infrakit("conformance", "--help").out()).startsWith("Usage: infrakit conformance NAME");
        assertThat(infrakit("help", "conformance").out()).startsWith("Usage: infrakit conformance NAME");
    }

    @Test
    void pluginLsListsEverySocketAsTheGoCli() throws Exception {
        Run r = infrakit("plugin", "ls");

        assertThat(r.code()).isZero();
        String row = "%-20s%-50s%s\n";
        assertThat(r.out()).isEqualTo(String.format(row, "INTERFACE", "LISTEN", "NAME")
                + String.format(row, "Flavor/0.1.0", dir.resolve("flavor-vanilla"), "flavor-vanilla")
                + String.format(row, "Group/0.1.0", dir.resolve("group"), "group")
                + String.format(row, "Instance/0.6.0", dir.resolve("instance-aws"), "instance-aws/ec2")
                + String.format(row, "Instance/0.6.0", dir.resolve("instance-file"), "instance-file")
                + String.format(row, "Instance/0.6.0", dir.resolve("instance-go"), "instance-go")
                + String.format(row, "Instance/0.5.0", dir.resolve("instance-old"), "instance-old")
                + String.format(row, "Flavor/0.1.0", dir.resolve("mixed"), "mixed")
                + String.format(row, "Instance/0.6.0", dir.resolve("mixed"), "mixed")
                + String.format(row, "", dir.resolve("stale"), "stale"));
        // the stale socket is a warning, not a failure
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("warning: plugin 'stale' did not answer: Plugin socket " + dir.resolve("stale"))
                .contains("refused the connection");
    }

    @Test
    void pluginLsQuietAndJson() throws Exception {
        Run quiet = infrakit("plugin", "ls", "-q");
        assertThat(quiet.out()).startsWith("Flavor/0.1.0 ").doesNotContain("INTERFACE");

        Run r = infrakit("plugin", "ls", "-o", "json");
        assertThat(r.code()).isZero();
        JsonNode all = r.json();
        assertThat(all.isArray()).isTrue();
        assertThat(all).hasSize(9);
        JsonNode ec2 = all.get(2);
        assertThat(ec2.get("Name").asText()).isEqualTo("instance-aws");
        assertThat(ec2.get("Type").asText()).isEqualTo("ec2");
        assertThat(ec2.get("Interface").asText()).isEqualTo("Instance/0.6.0");
        assertThat(ec2.get("Socket").asText()).isEqualTo(dir.resolve("instance-aws").toString());
        assertThat(ec2.get("Origin").asText()).isEqualTo("runtime cli-it-runtime");
        assertThat(all.get(4).get("Origin").asText()).as("a foreign plugin").isEmpty();
        assertThat(all.get(8).get("Problem").asText()).contains("refused the connection");
    }

    @Test
    void pluginLsWithoutAnyRuntime() throws Exception {
        Run r = infrakitWith(Map.of("INFRAKIT_HOME", root.resolve("nothing-here").toString()), null, "plugin", "ls");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(String.format("%-20s%-50s%s\n", "INTERFACE", "LISTEN", "NAME"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void groupVerbsFromCommitToDestroy() throws Exception {
        Files.writeString(work.resolve("cattle.json"), "{\"ID\":\"cattle\",\"Properties\":{"
                + "\"Allocation\":{\"Size\":2},"
                + "\"Instance\":{\"Plugin\":\"instance-file\",\"Properties\":{\"Note\":\"cli\"}},"
                + "\"Flavor\":{\"Plugin\":\"flavor-vanilla\",\"Properties\":{\"Init\":[\"echo hi\"],"
                + "\"Tags\":{\"tier\":\"cli\"}}}}}");

        Run pretend = infrakit("group", "commit", "cattle.json", "--pretend");
        assertThat(pretend.code()).isZero();
        assertThat(pretend.out()).isEqualTo("Committing cattle would involve: Managing 2 instances\n");
        assertThat(pretend.err()).isEmpty();
        assertThat(members("cattle")).isZero();

        Run commit = infrakit("group", "commit", "cattle.json");
        assertThat(commit.code()).isZero();
        assertThat(commit.out()).isEqualTo("Committed cattle: Managing 2 instances\n");
        await("the group's two instance files exist", () -> members("cattle") == 2);

        Run describe = infrakit("group", "describe", "cattle");
        assertThat(describe.code()).isZero();
        List<String> lines = describe.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("ID {28}\tLOGICAL {23}\tTAGS");
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l)
                .matches("instance-\\d+ +\t  - {27}\tinfrakit\\.config_sha=\\w+,infrakit\\.group=cattle,tier=cli"));

        JsonNode described = infrakit("group", "describe", "cattle", "-o", "json").json();
        assertThat(described.get("Instances")).hasSize(2);
        assertThat(described.get("Instances").get(0).get("Tags").get("infrakit.group").asText()).isEqualTo("cattle");

        Run inspect = infrakit("group", "inspect", "cattle");
        assertThat(inspect.code()).isZero();
        assertThat(inspect.out()).startsWith("{\n  \"ID\": \"cattle\",\n  \"Properties\": {\n");
        JsonNode specs = infrakit("group", "inspect", "--json").json();
        assertThat(specs.isArray()).isTrue();
        assertThat(specs.findValuesAsText("ID")).contains("cattle");
        JsonNode spec = infrakit("group", "inspect", "cattle", "--json").json();
        assertThat(spec.get("Properties").get("Allocation").get("Size").asInt()).isEqualTo(2);

        Run destroy = infrakit("group", "destroy", "cattle");
        assertThat(destroy.code()).isZero();
        assertThat(destroy.out()).isEqualTo("Destroy cattle initiated\n");
        await("the instances are gone", () -> members("cattle") == 0);
        assertOneErrorLine(infrakit("group", "inspect", "cattle", "-o", "json"), 1, "Group cattle is not being watched");
    }

    @Test
    void rawIsJsonOnDescribeAndInspectOnly() throws Exception {
        Files.writeString(work.resolve("raw.json"), "{\"ID\":\"raw\",\"Properties\":{"
                + "\"Allocation\":{\"Size\":1},"
                + "\"Instance\":{\"Plugin\":\"instance-file\",\"Properties\":{}},"
                + "\"Flavor\":{\"Plugin\":\"flavor-vanilla\",\"Properties\":{}}}}");
        assertThat(infrakit("group", "commit", "raw.json").code()).isZero();
        await("the group's instance file exists", () -> members("raw") == 1);

        // the 2017 CLI's -r|--raw (cli.md §2.1) is -o json
        Run describe = infrakit("group", "describe", "raw", "-r");
        assertThat(describe.code()).as("%s", describe).isZero();
        assertThat(describe.out()).isEqualTo(infrakit("group", "describe", "raw", "-o", "json").out());
        assertThat(describe.json().get("Instances")).hasSize(1);
        Run inspect = infrakit("group", "inspect", "--raw", "raw");
        assertThat(inspect.code()).as("%s", inspect).isZero();
        assertThat(inspect.json().get("ID").asText()).isEqualTo("raw");
        Run goDescribe = infrakit("instance-go", "describe", "-r");
        assertThat(goDescribe.code()).as("%s", goDescribe).isZero();
        assertThat(goDescribe.out()).isEqualTo(infrakit("instance-go", "describe", "--json").out());
        assertThat(goDescribe.json().get(0).get("ID").asText()).isEqualTo("go-1");

        // only where the 2017 CLI has it, and not after --
        assertOneErrorLine(infrakit("flavor-vanilla", "validate", "{}", "-r"), 2, "validate: unknown option '-r'");
        assertOneErrorLine(infrakit("group", "describe", "--", "-r"), 1, "Group '-r' is not being watched");
        assertThat(infrakit("--help").out()).contains("-r, --raw ");

        assertThat(infrakit("group", "destroy", "raw").code()).isZero();
        await("the instance is gone", () -> members("raw") == 0);
    }

    @Test
    void groupFreeLeavesTheInstances() throws Exception {
        Run commit = infrakitWith(Map.of("INFRAKIT_PLUGINS_DIR", dir.toString()), "{\"ID\":\"pets\",\"Properties\":{"
                + "\"Allocation\":{\"LogicalIDs\":[\"db1\"]},"
                + "\"Instance\":{\"Plugin\":\"instance-file\",\"Properties\":{}},"
                + "\"Flavor\":{\"Plugin\":\"flavor-vanilla\",\"Properties\":{}}}}", "group", "commit", "-", "-o", "json");
        assertThat(commit.code()).as("%s", commit).isZero();
        JsonNode committed = commit.json();
        assertThat(committed.get("ID").asText()).isEqualTo("pets");
        assertThat(committed.get("Pretend").asBoolean()).isFalse();
        await("the pet's file exists", () -> members("pets") == 1);

        Run free = infrakit("group", "free", "pets", "-o", "json");
        assertThat(free.code()).isZero();
        assertThat(free.json().toString()).isEqualTo("{\"ID\":\"pets\",\"OK\":true}");
        assertOneErrorLine(infrakit("group", "describe", "pets"), 1, "Group 'pets' is not being watched");

        // the freed instance is still there: clean it up through the instance plugin
        JsonNode left = infrakit("instance-file", "describe", "--tags", "infrakit.group=pets", "-o", "json").json();
        assertThat(left).hasSize(1);
        Run destroyed = infrakit("instance-file", "destroy", left.get(0).get("ID").asText());
        assertThat(destroyed.out()).isEqualTo("destroyed " + left.get(0).get("ID").asText() + "\n");
    }

    @Test
    void instanceVerbs() throws Exception {
        Files.writeString(work.resolve("spec.json"), "{\"Properties\":{\"Size\":\"small\"},\"Tags\":{\"owner\":\"it\"},"
                + "\"Init\":\"echo hi\"}");

        Run validate = infrakit("instance-file", "validate", "{\"Size\":\"small\"}");
        assertThat(validate.out()).isEqualTo("validate:ok\n");
        assertThat(infrakit("instance-file", "validate", "{}", "-o", "json").json().toString()).isEqualTo("{\"OK\":true}");

        Run provision = infrakit("instance-file", "provision", "spec.json");
        assertThat(provision.code()).isZero();
        String id = provision.out().strip();
        assertThat(id).matches("instance-\\d+");
        assertThat(instances.resolve(id)).exists();
        JsonNode second = infrakit("instance-file", "provision", "spec.json", "-o", "json").json();
        String id2 = second.get("ID").asText();

        Run label = infrakit("instance-file", "label", id, "stage=test", "owner=cli");
        assertThat(label.out()).isEqualTo("labeled " + id + "\n");

        Run describe = infrakit("instance-file", "describe", "--tags", "stage=test");
        assertThat(describe.code()).isZero();
        assertThat(describe.out()).isEqualTo(String.format("%-30s\t%-30s\t%s\n", "ID", "LOGICAL", "TAGS")
                + String.format("%-30s\t%-30s\t%s\n", id, "  -   ", "owner=cli,stage=test"));
        assertThat(infrakit("instance-file", "describe", "--tags", "owner=nobody", "-o", "json").json()).isEmpty();

        JsonNode withProps = infrakit("instance-file", "describe", "--tags", "stage=test", "-p", "-o", "json").json();
        assertThat(withProps.get(0).get("Properties").get("Properties").get("Size").asText()).isEqualTo("small");

        Run destroy = infrakit("instance-file", "destroy", id, id2, "-o", "json");
        assertThat(destroy.code()).isZero();
        assertThat(destroy.json().toString()).isEqualTo("[{\"ID\":\"" + id + "\",\"OK\":true},{\"ID\":\"" + id2
                + "\",\"OK\":true}]");
        assertThat(instances.resolve(id)).doesNotExist();
    }

    @Test
    void flavorVerbs() throws Exception {
        Files.writeString(work.resolve("vanilla.json"), "{\"Init\":[\"apt-get update\"],\"Tags\":{\"flavor\":\"vanilla\"}}");

        assertThat(infrakit("flavor-vanilla", "validate", "vanilla.json", "--size", "2").out()).isEqualTo("validate:ok\n");
        assertThat(infrakit("flavor-vanilla", "validate", "vanilla.json", "--logical-ids", "a,b", "--json").json()
                .toString()).isEqualTo("{\"OK\":true}");

        Run prepare = infrakit("flavor-vanilla", "prepare", "{\"Properties\":{},\"Init\":\"echo first\"}",
                "--properties", "vanilla.json");
        assertThat(prepare.code()).as("%s", prepare).isZero();
        assertThat(prepare.out()).contains("\"Init\": \"echo first\\napt-get update\"").contains("\"flavor\": \"vanilla\"");
        JsonNode prepared = infrakit("flavor-vanilla", "prepare", "{}", "--properties", "vanilla.json", "-o", "json")
                .json();
        assertThat(prepared.get("Init").asText()).isEqualTo("apt-get update");

        Run healthy = infrakit("flavor-vanilla", "healthy", "i-1", "i-2");
        assertThat(healthy.out()).isEqualTo("1\n1\n");
        assertThat(infrakit("flavor-vanilla", "healthy", "i-1", "-o", "json").json().toString())
                .isEqualTo("[{\"ID\":\"i-1\",\"Health\":1}]");

        Run drain = infrakit("flavor-vanilla", "drain", "i-1", "--logical-id");
        assertThat(drain.out()).isEqualTo("drained i-1\n");
        assertThat(drain.code()).isZero();
    }

    @Test
    void typedObjectsAndGoPlugins() throws Exception {
        Run typed = infrakit("instance-aws/ec2", "describe", "-q");
        assertThat(typed.code()).as("%s", typed).isZero();
        assertThat(typed.out()).isEmpty();
        assertOneErrorLine(infrakit("instance-aws", "describe"), 3,
                "plugin 'instance-aws' has no object 'instance-aws' (it serves: instance-aws/ec2 (Instance/0.6.0))");

        // a Go plugin that only answers Plugin.Implements
        Run go = infrakit("instance-go", "describe");
        assertThat(go.code()).as("%s", go).isZero();
        assertThat(go.out()).isEqualTo(String.format("%-30s\t%-30s\t%s\n", "ID", "LOGICAL", "TAGS")
                + String.format("%-30s\t%-30s\t%s\n", "go-1", "  -   ", "app=x,tier=web"));
        // and the same plugin failing a method it does not have: its message, exit 1
        assertOneErrorLine(infrakit("instance-go", "validate", "{}"), 1, "rpc: can't find service Instance.Validate");

        assertOneErrorLine(infrakit("instance-old", "describe"), 3, "plugin 'instance-old' speaks Instance/0.5.0; "
                + "this client speaks Group/0.1.0, Instance/0.6.0, Flavor/0.1.0");
    }

    @Test
    void oneGrammarForEveryKind() throws Exception {
        // KIND [--plugin NAME] VERB, the kind's usual plugin by default: the same answers as NAME VERB
        Run byKind = infrakit("instance", "--plugin", "instance-go", "describe", "-o", "json");
        assertThat(byKind.code()).as("%s", byKind).isZero();
        assertThat(byKind.out()).isEqualTo(infrakit("instance-go", "describe", "-o", "json").out());
        assertThat(infrakit("instance", "--plugin=instance-aws/ec2", "describe", "-q").code()).isZero();
        Run byDefault = infrakit("instance", "describe", "-o", "json");
        assertThat(byDefault.code()).as("%s", byDefault).isZero();
        assertThat(byDefault.out()).isEqualTo(infrakit("instance-file", "describe", "-o", "json").out());
        assertThat(infrakit("flavor", "validate", "{}").out()).isEqualTo("validate:ok\n");
        assertThat(infrakit("flavor", "--plugin", "mixed", "validate", "{\"Init\":[]}").out()).isEqualTo("validate:ok\n");
        assertThat(infrakit("group", "--plugin", "group", "ls", "-o", "json").json().isArray()).isTrue();
        // the older KIND NAME VERB
        assertThat(infrakit("instance", "instance-go", "describe", "-o", "json").out()).isEqualTo(byKind.out());

        // the plugin must serve the kind; help and bad usage need no plugin
        assertOneErrorLine(infrakit("group", "--plugin", "instance-file", "ls"), 3,
                "plugin 'instance-file' has no Group/0.1.0 object (it serves: instance-file (Instance/0.6.0))");
        assertOneErrorLine(infrakit("instance", "--plugin", "nope", "describe"), 3, "no plugin named 'nope' in " + dir
                + " (plugins: flavor-vanilla, group, instance-aws, instance-file, instance-go, instance-old, mixed, stale)");
        assertOneErrorLine(infrakit("instance", "--plugin", "nope", "describe", "--bogus"), 2,
                "describe: unknown option '--bogus'");
        assertOneErrorLine(infrakit("instance", "--plugin"), 2, "option --plugin needs a value (NAME)");
        Run help = infrakit("flavor", "--plugin", "nope", "prepare", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: prepare FILE|JSON|- [options]\n").contains("--index-sequence=N");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void versionAndCompletion() throws Exception {
        String version = infrakit("version").out();
        assertThat(version).matches("infrakit \\d+\\.\\d+\\.\\d+.*\n");
        assertThat(infrakit("--version").out()).isEqualTo(version);
        assertThat(infrakit("-V").out()).isEqualTo(version);
        Run verb = infrakit("instance", "describe", "--version");
        assertThat(verb.code()).isZero();
        assertThat(verb.out()).isEqualTo(version.replace("infrakit ", "infrakit instance "));
        assertThat(infrakit("plugin", "ls", "-V").out()).isEqualTo(version.replace("infrakit ", "infrakit plugin ls "));

        Run bash = infrakit("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_infrakit", "conformance", "completion", "--plugin",
                "--pretend", "provision");
        Path script = work.resolve("infrakit-completion.bash");
        Files.writeString(script, bash.out());
        // the script is valid bash, and completes the commands and a verb's options
        Run words = run(new ProcessBuilder("bash", "-c", "source " + script + " && COMP_WORDS=(infrakit gr) "
                + "COMP_CWORD=1 && _complete_infrakit && echo \"${COMPREPLY[@]}\"; COMP_WORDS=(infrakit group commit --pr) "
                + "COMP_CWORD=3 && _complete_infrakit && echo \"${COMPREPLY[@]}\""), null);
        assertThat(words.code()).as("%s", words).isZero();
        assertThat(words.out().lines().toList()).containsExactly("group", "--pretend");
        assertOneErrorLine(infrakit("completion", "zsh"), 2, "unknown shell 'zsh' (one of: bash)");
        assertOneErrorLine(infrakit("completion"), 2, "missing shell (one of: bash)");
    }

    @Test
    void aSocketServingTwoKindsIsChosenByVerbOrKind() throws Exception {
        assertOneErrorLine(infrakit("mixed", "validate", "{}"), 2, "plugin 'mixed' serves Instance/0.6.0 and "
                + "Flavor/0.1.0, which both have the verb 'validate': choose one with --kind instance or --kind flavor");
        assertThat(infrakit("mixed", "--kind", "flavor", "validate", "{\"Init\":[]}").out()).isEqualTo("validate:ok\n");
        // Init must be a list for the flavor, but the instance plugin takes any object
        assertOneErrorLine(infrakit("mixed", "validate", "{\"Init\":5}", "--kind=flavor"), 1,
                infrakit("flavor-vanilla", "validate", "{\"Init\":5}").err().strip());
        assertThat(infrakit("mixed", "validate", "{\"Init\":5}", "--kind=instance").out()).isEqualTo("validate:ok\n");
        // a verb only one of them has needs no --kind
        assertThat(infrakit("mixed", "describe", "-o", "json").json().isArray()).isTrue();
        assertOneErrorLine(infrakit("mixed", "--kind", "group", "ls"), 3,
                "plugin 'mixed' has no Group/0.1.0 object (it serves: mixed (Flavor/0.1.0), mixed (Instance/0.6.0))");
    }

    @Test
    void failuresAreOneLineAndNonZero() throws Exception {
        // the plugin's own error, unchanged
        Run missingGroup = infrakit("group", "describe", "nope");
        assertOneErrorLine(missingGroup, 1, "Group 'nope' is not being watched");
        assertThat(missingGroup.out()).isEmpty();
        assertOneErrorLine(infrakit("instance-file", "destroy", "instance-404"), 1,
                "remove " + instances.resolve("instance-404") + ": no such file or directory");

        // no such plugin
        assertOneErrorLine(infrakit("nope", "describe"), 3, "no plugin named 'nope' in " + dir + " (plugins: "
                + "flavor-vanilla, group, instance-aws, instance-file, instance-go, instance-old, mixed, stale)");
        assertOneErrorLine(infrakitWith(Map.of("INFRAKIT_PLUGINS_DIR", root.resolve("none").toString()), null,
                "group", "ls"), 3, "no plugin named 'group' in " + root.resolve("none") + " (the directory does not exist)");
        // a socket nobody answers on
        Run stale = infrakit("stale", "describe");
        assertThat(stale.code()).isEqualTo(3);
        assertThat(stale.errLines()).singleElement().asString()
                .startsWith("plugin 'stale' is unavailable: Plugin socket " + dir.resolve("stale"))
                .contains("refused the connection");

        // bad input: exit 2
        Files.writeString(work.resolve("bad.json"), "{\"ID\":\"x\",");
        Run bad = infrakit("group", "commit", "bad.json");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.errLines()).singleElement().asString().startsWith("bad.json: ");
        assertOneErrorLine(infrakit("group", "commit", "missing.json"), 2, "missing.json: no such file");
        assertOneErrorLine(infrakit("group", "explode"), 2,
                "unknown verb 'explode' for Group plugin 'group' (verbs: commit, describe, inspect, ls, free, destroy)");
        assertOneErrorLine(infrakit("group", "describe"), 2, "describe: missing ID (usage: describe ID [options])");
        assertOneErrorLine(infrakit("--bogus"), 2, "unknown option '--bogus' (global options: --log N, -h|--help, -V|--version; "
                + "see infrakit --help)");
        assertOneErrorLine(infrakit("plugin", "rm"), 2, "unknown plugin command 'rm' (one of: ls)");
        assertOneErrorLine(infrakit("../x", "describe"), 2, "plugin name '..' must not be '.' or contain '..' (see infrakit --help)");
    }

    @Test
    void aPluginThatNeverAnswersFailsAfterTheClientTimeout() throws Exception {
        // 1s instead of the default 30s (and of 5s for the handshake): the messages show which applied
        Map<String, String> env = Map.of("INFRAKIT_PLUGINS_DIR", hung.toString(), "INFRAKIT_CLIENT_TIMEOUT", "1s");

        long start = System.nanoTime();
        Run silent = infrakitWith(env, null, "silent", "describe");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertOneErrorLine(silent, 3, "plugin 'silent' is unavailable: Plugin socket " + hung.resolve("silent")
                + " did not answer Handshake.Implements within 1000 ms");
        assertThat(silent.out()).isEmpty();
        // a JVM start and the 1 s deadline, not the 30 s default; a loaded machine can take a few seconds
        assertThat(took).isLessThan(Duration.ofSeconds(25));

        // the handshake is answered, the call itself hangs
        Run stuck = infrakitWith(env, null, "stuck", "describe");
        assertOneErrorLine(stuck, 3, "Instance plugin 'stuck' is unavailable: Plugin socket " + hung.resolve("stuck")
                + " did not answer Instance.DescribeInstances within 1000 ms");
        assertThat(stuck.out()).isEmpty();
    }

    @Test
    void logLevel5TracesRequestsAndRepliesOnStandardErrorOnly() throws Exception {
        Run plain = infrakit("instance-go", "describe", "-o", "json");
        assertThat(plain.err()).isEmpty();

        Run traced = infrakit("--log", "5", "instance-go", "describe", "-o", "json");

        assertThat(traced.code()).as("%s", traced).isZero();
        // standard output is the command's output, still one line of JSON for a script
        assertThat(traced.out()).isEqualTo(plain.out());
        assertThat(traced.json().get(0).get("ID").asText()).isEqualTo("go-1");
        // standard error: each request and its reply, the handshake's and the verb's
        String socket = dir.resolve("instance-go").toString();
        List<String> log = traced.errLines();
        assertThat(log).allSatisfy(l -> assertThat(l)
                .containsPattern("^INFO JsonRpcClient - rpc " + Pattern.quote(socket) + " (<-|->) "));
        assertThat(log).filteredOn(l -> l.contains(" <- "))
                .extracting(l -> l.replaceAll(".*\"method\":\"([^\"]*)\".*", "$1"))
                .containsExactly("Handshake.Implements", "Plugin.Implements", "Instance.DescribeInstances");
        assertThat(log).filteredOn(l -> l.contains(" -> ")).hasSize(3).last().asString()
                .contains("-> 200 ", "\"ID\":\"go-1\"");
    }

    @Test
    void helpEverywhere() throws Exception {
        Run top = infrakit("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).startsWith("Usage: infrakit [--log N] COMMAND").contains("plugin ls", "--kind",
                "(now " + dir + ")");
        assertThat(top.err()).isEmpty();

        Run none = infrakit();
        assertThat(none.out()).isEqualTo(top.out());
        assertOneErrorLine(none, 2, "missing command (see infrakit --help)");

        Run group = infrakit("group", "--help");
        assertThat(group.code()).isZero();
        assertThat(group.out()).startsWith("Verbs of Group plugin 'group':\n"
                + "Usage: group [--plugin NAME] VERB [ARGUMENTS] [OPTIONS]\n").contains("Commands:\n  commit ");

        Run verb = infrakit("help", "group", "commit");
        assertThat(verb.code()).isZero();
        assertThat(verb.out()).startsWith("Usage: commit FILE|JSON|- [options]\n").contains("-p, --pretend");

        assertThat(infrakit("instance-file", "describe", "-h").out()).contains("--tags=K=V[,K=V...]");
        assertThat(infrakit("plugin", "ls", "--help").out()).startsWith("Usage: plugin ls [options]\n");
        assertThat(infrakit("mixed", "--help").out()).contains("Verbs of Instance plugin 'mixed'",
                "Verbs of Flavor plugin 'mixed'", "--kind instance or --kind flavor");

        // without a plugin to ask, help still works, and says why it is generic
        Run offline = infrakitWith(Map.of("INFRAKIT_PLUGINS_DIR", root.resolve("none").toString()), null,
                "flavor-x", "prepare", "--help");
        assertThat(offline.code()).isZero();
        assertThat(offline.out()).startsWith("Usage: prepare FILE|JSON|- [options]\n");
        assertThat(offline.errLines()).singleElement().asString().startsWith("note: no plugin named 'flavor-x'");
    }

    @Test
    void theLauncherScriptRunsTheJar() throws Exception {
        Path script = Path.of("..", "bin", "infrakit").toAbsolutePath().normalize();
        assertThat(script).isExecutable();
        // INFRAKIT_CLI_JAR: run this jar as it is (no build, whatever the sources' dates)
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "plugin", "ls", "-q").directory(work.toFile());
        pb.environment().put("INFRAKIT_CLI_JAR", JAR.toString());
        pb.environment().put("INFRAKIT_PLUGINS_DIR", dir.toString());
        Run r = run(pb, null);

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("flavor-vanilla\n", "instance-aws/ec2\n");
    }
}
